/**
 * Capped exponential backoff with jitter: attempt n waits between half and all of
 * min(max, base * 2^(n-1)), so retries from many rooms spread out instead of arriving together.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
