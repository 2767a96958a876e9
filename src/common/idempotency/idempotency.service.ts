import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { UnprocessableError, ValidationFailedError } from '../errors/domain-errors';

/** Keys are kept this long; a repeat after that is a new request. */
export const IDEMPOTENCY_TTL_HOURS = 24;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: absent, or 1-255 printable ASCII characters (else 400). */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY_PATTERN.test(header)) {
    throw new ValidationFailedError([{ field: 'Idempotency-Key', errors: ['Idempotency-Key must be 1-255 printable ASCII characters'] }]);
  }
  return header;
}

export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(JSON.stringify(body)).digest('hex');
}

/**
 * The Idempotency-Key rules, in one place: the first request with a key stores its outcome (the
 * service's result, not an HTTP answer: the controller maps both the first and the repeats the
 * same way); a repeat with the same body gets that outcome, a repeat with another body 422.
 * Scoped per API key, kept IDEMPOTENCY_TTL_HOURS. The key is claimed in the transaction that
 * writes what it protects, so the two exist together or not at all.
 */
@Injectable()
export class IdempotencyService {
  /** The stored outcome for this key, or null when the key is new (then `claim` it in the same transaction). */
  async lookup<T>(em: EntityManager, apiKeyId: string, key: string, hash: string): Promise<T | null> {
    const [row]: Array<{ request_hash: string; outcome: T }> = await em.query(
      `SELECT request_hash, outcome FROM idempotency_keys
        WHERE api_key_id = $1 AND key = $2 AND created_at > now() - make_interval(hours => $3)`,
      [apiKeyId, key, IDEMPOTENCY_TTL_HOURS],
    );
    if (!row) return null;
    if (row.request_hash !== hash) {
      throw new UnprocessableError('This Idempotency-Key was used with a different request', { idempotencyKey: key });
    }
    return row.outcome;
  }

  /**
   * Claims the key with the outcome known so far. A concurrent request with the same key waits on
   * the row lock until this transaction ends; returns false when another request already holds it.
   */
  async claim<T>(em: EntityManager, apiKeyId: string, key: string, route: string, hash: string, outcome: T): Promise<boolean> {
    await em.query(`DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND created_at <= now() - make_interval(hours => $3)`, [
      apiKeyId,
      key,
      IDEMPOTENCY_TTL_HOURS,
    ]);
    const rows: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (api_key_id, key, route, request_hash, outcome)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key`,
      [apiKeyId, key, route, hash, JSON.stringify(outcome)],
    );
    return rows.length > 0;
  }

  /** The final outcome, once known (the claim held the one known then). */
  async update<T>(em: EntityManager, apiKeyId: string, key: string, outcome: T): Promise<void> {
    await em.query(`UPDATE idempotency_keys SET outcome = $3 WHERE api_key_id = $1 AND key = $2`, [apiKeyId, key, JSON.stringify(outcome)]);
  }
}
