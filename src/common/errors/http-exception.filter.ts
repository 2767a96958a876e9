import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { isDatabaseUnavailable } from './database-errors';
import { ApiError } from './domain-errors';
import { ErrorResponseDto } from './error-response.dto';

export function errorBody(statusCode: number, message: string, details?: unknown): ErrorResponseDto {
  const body: ErrorResponseDto = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (details !== undefined) body.details = details;
  return body;
}

/** Fastify's own errors (body parsing, size limit, content type) carry a statusCode and a code. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

export function toErrorResponse(exception: unknown): { body: ErrorResponseDto; headers: Record<string, string> } {
  if (exception instanceof ApiError) {
    return { body: errorBody(exception.getStatus(), exception.message, exception.details), headers: exception.headers };
  }
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const raw = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
    return { body: errorBody(exception.getStatus(), message), headers: {} };
  }
  if (isDatabaseUnavailable(exception)) {
    return { body: errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'The database is unavailable; retry later'), headers: { 'Retry-After': '5' } };
  }
  const fe = exception as FastifyLikeError;
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { body: errorBody(fe.statusCode, fe.message ?? 'Bad request', fe.code ? { code: fe.code } : undefined), headers: {} };
  }
  return { body: errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error'), headers: {} };
}

/** The one exception filter: every error leaves as `{ statusCode, error, message, details? }`. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(@InjectPinoLogger(HttpExceptionFilter.name) private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { body, headers } = toErrorResponse(exception);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception }, 'request failed');
    }
    void reply.status(body.statusCode).headers(headers).send(body);
  }
}
