import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/errors/error-response.dto';
import type { SessionCoverage } from '../sessions/visitor-sessions';
import type { Scope } from './scopes';

export const SCOPES_KEY = 'omnigate:scopes';
export const PUBLIC_KEY = 'omnigate:public';
export const SESSION_KEY = 'omnigate:visitor-session';

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

const SESSION_ERRORS = [
  ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key; invalid, expired or revoked visitor session token', type: ErrorResponseDto }),
  ApiForbiddenResponse({ description: "The API key lacks the scope; the visitor session does not cover this room or visitor", type: ErrorResponseDto }),
];

/**
 * Route also accepts a visitor session token (`ogs_...`, from POST /v1/visitors/:token/sessions)
 * as a bearer, or on a GET as `?access_token=` (EventSource and links cannot send headers). The
 * guard checks, in one round trip, that the session is live and covers what the route addresses
 * (`room`: its `:id` is one of the visitor's rooms; `visitor`: its `:token` is the visitor's).
 */
export const AllowVisitorSession = (covers: Exclude<SessionCoverage, 'session'>): MethodDecorator =>
  applyDecorators(SetMetadata(SESSION_KEY, covers), ...SESSION_ERRORS);

/** Route takes only a visitor session token, which is its subject (refresh, sign out): no API key. */
export const VisitorSessionOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(SESSION_KEY, 'session'),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked visitor session token', type: ErrorResponseDto }),
  );
