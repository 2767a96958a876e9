import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * Base of omnigate's HTTP-facing errors. The exception filter turns any HttpException into
 * `{ statusCode, error, message, details? }`; these subclasses carry `details` and headers.
 */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }
}

export interface FieldError {
  field: string;
  errors: string[];
}

export class ValidationFailedError extends ApiError {
  constructor(readonly fields: FieldError[]) {
    super(
      HttpStatus.BAD_REQUEST,
      `Validation failed: ${fields.map((f) => f.errors.join(', ')).join('; ')}`.slice(0, 1000),
      fields,
    );
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(HttpStatus.FORBIDDEN, message, details);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(HttpStatus.NOT_FOUND, message, details);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(HttpStatus.CONFLICT, message, details);
  }
}

export class UnprocessableError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(HttpStatus.UNPROCESSABLE_ENTITY, message, details);
  }
}

export class ServiceUnavailableError extends ApiError {
  constructor(message: string, retryAfterSeconds?: number, details?: unknown) {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      message,
      details,
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    );
  }
}
