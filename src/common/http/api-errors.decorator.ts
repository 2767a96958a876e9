import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorResponseDto } from '../errors/error-response.dto';

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: the fields at fault are listed in `details`',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body larger than the configured limit',
  422: 'Understood but refused',
  429: 'Too many requests',
  502: 'Rocket.Chat answered something omnigate could not use',
  503: 'A dependency (Rocket.Chat or PostgreSQL) is unavailable; see Retry-After',
};

/** Documents error answers in the shared error shape: `@ApiErrors(400, 404)` or `@ApiErrors([409, 'Room is closed'])`. */
export function ApiErrors(...codes: Array<number | [number, string]>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...codes.map((c) => {
      const [status, description] = Array.isArray(c) ? c : [c, DEFAULT_DESCRIPTIONS[c] ?? STATUS_CODES[c] ?? 'Error'];
      return ApiResponse({ status, description, type: ErrorResponseDto });
    }),
  );
}
