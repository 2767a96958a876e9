/**
 * Rocket.Chat answered and refused (a 4xx other than 429). `reason` is Rocket.Chat's error code,
 * normalised: `invalid-token`, `room-closed`, `no-agent-online`, ... or `unknown` when Rocket.Chat
 * gave no text (e.g. a repeated message `_id`, a failed transfer).
 */
export class RocketChatRejectedError extends Error {
  override readonly name = 'RocketChatRejectedError';

  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly reason: string,
    /** Rocket.Chat's own error text, as sent */
    readonly detail?: string,
  ) {
    super(`Rocket.Chat refused ${endpoint}: ${reason} (HTTP ${status})`);
  }
}

/** Rocket.Chat could not be reached or could not answer: connection refused, timeout, 5xx, 429. */
export class RocketChatUnavailableError extends Error {
  override readonly name: string = 'RocketChatUnavailableError';

  constructor(
    readonly endpoint: string,
    readonly problem: string,
    /** HTTP status when Rocket.Chat answered (5xx, 429) */
    readonly status?: number,
    /** when Rocket.Chat said when to come back (429: X-RateLimit-Reset) */
    readonly retryAfterMs?: number,
  ) {
    super(`Rocket.Chat unavailable for ${endpoint}: ${problem}`);
  }
}

/**
 * The same fact under the names Rocket.Chat's routes and versions give it, to one reason:
 * 8.x's `visitor/department.transfer` says `error-invalid-room` and
 * `This_conversation_is_already_closed` where the older routes say `invalid-room` and
 * `room-closed` (CONTRACT-NOTES.md, "Per-version table").
 */
const SAME_REASON: Record<string, string> = {
  'error-invalid-room': 'invalid-room',
  This_conversation_is_already_closed: 'room-closed',
  'error-invalid-visitor': 'invalid-token',
  // both spellings are the server's
  'error-transfering-chat': 'transfer-failed',
  'error-transefing-chat': 'transfer-failed',
};

/**
 * Rocket.Chat's error text depends on how its code threw: "invalid-token", "[invalid-token]" with
 * errorType, "Sorry, no online agents [no-agent-online]", or `reason` on uploads (CONTRACT-NOTES §0).
 */
export function normaliseReason(body: unknown): { reason: string; detail?: string } {
  const { reason, detail } = rawReason(body);
  return { reason: SAME_REASON[reason] ?? reason, detail };
}

function rawReason(body: unknown): { reason: string; detail?: string } {
  if (typeof body !== 'object' || body === null) return { reason: 'unknown' };
  const { errorType, error, reason } = body as { errorType?: unknown; error?: unknown; reason?: unknown };
  const text = typeof error === 'string' ? error : typeof reason === 'string' ? reason : undefined;
  if (typeof errorType === 'string' && errorType) return { reason: errorType, detail: text };
  if (!text) return { reason: 'unknown' };
  const bracketed = /\[([\w-]+)\]\s*$/.exec(text);
  if (bracketed) return { reason: bracketed[1]!, detail: text };
  return { reason: /^[\w-]+$/.test(text) ? text : 'unknown', detail: text };
}
