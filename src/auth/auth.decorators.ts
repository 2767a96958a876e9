import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/errors/error-response.dto';
import type { Scope } from './scopes';

export const SCOPES_KEY = 'omnigate:scopes';
export const PUBLIC_KEY = 'omnigate:public';
export const STREAM_TOKEN_KEY = 'omnigate:stream-token';

/** Route needs an API key holding these scopes (`admin` holds all). */
export function RequireScopes(...scopes: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(SCOPES_KEY, scopes),
    ApiBearerAuth('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key', type: ErrorResponseDto }),
    ApiForbiddenResponse({ description: `The API key lacks the scope ${scopes.join(', ')}`, type: ErrorResponseDto }),
  );
}

/** Route is not guarded by API keys (health, metrics, docs, or guarded otherwise: the webhook). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/**
 * Route also accepts a visitor stream token (`ogs_...`, from POST /v1/visitors/:token/stream-tokens),
 * as a bearer or as `?access_token=` (EventSource cannot send headers). The handler must check that
 * the stream it serves belongs to `principal.visitorId`.
 */
export const AllowStreamToken = (): MethodDecorator => SetMetadata(STREAM_TOKEN_KEY, true);
