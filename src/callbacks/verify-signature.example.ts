import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks an omnigate callback on the receiving side: true when `Omnigate-Signature` was made with
 * `secret` over this exact raw body, less than `toleranceSeconds` ago (older ones may be replays).
 * Verify the raw bytes as received, before any JSON parsing.
 */
export function verifyOmnigateSignature(secret: string, header: string | undefined, rawBody: string | Buffer, toleranceSeconds = 300): boolean {
  const parts = new Map<string, string>();
  for (const item of (header ?? '').split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) parts.set(item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(Math.floor(Date.now() / 1000) - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
