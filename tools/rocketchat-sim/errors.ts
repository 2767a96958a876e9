import type { JsonObject } from './types';

/** A REST failure with the exact body Rocket.Chat would send (CONTRACT-NOTES §0). */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject,
  ) {
    super(typeof body.error === 'string' ? body.error : `HTTP ${status}`);
  }
}

/** `throw new Error(code)` in Rocket.Chat: the code as `error`, no errorType. */
export const plainError = (code: string): RestError => new RestError(400, { success: false, error: code });

/** `throw new Meteor.Error(code, reason?)`: "reason [code]" (or "[code]") plus errorType. */
export const meteorError = (code: string, reason?: string): RestError =>
  new RestError(400, { success: false, error: reason ? `${reason} [${code}]` : `[${code}]`, errorType: code });

/** `API.v1.failure()` with no argument: nothing but `success: false`. */
export const bareFailure = (): RestError => new RestError(400, { success: false });

/** `API.v1.forbidden()`: "unauthorized" before 8.0, "forbidden" from 8.0 (ApiClass.ts `applyBreakingChanges`). */
export const forbidden = (breakingChanges: boolean): RestError => new RestError(403, { success: false, error: breakingChanges ? 'forbidden' : 'unauthorized' });

export const notFound = (): RestError => new RestError(404, { success: false, error: 'Not found' });

/** Rate limiter text, N = whole seconds until the window resets. */
export function tooManyRequests(seconds: number): RestError {
  return new RestError(429, {
    success: false,
    error: `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying this endpoint again. [error-too-many-requests]`,
  });
}

/** What a simulated server fault answers: Rocket.Chat's internal error body, or the 429 text. */
export function simulatedFailure(status: number): RestError {
  if (status === 429) return tooManyRequests(60);
  const text = status === 503 ? 'Service Unavailable' : status === 502 ? 'Bad Gateway' : 'Internal server error';
  return new RestError(status, { success: false, error: text });
}
