import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { UnprocessableError } from '../errors/domain-errors';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** Keys are kept this long; a repeat after that is a new request. */
export const IDEMPOTENCY_TTL_HOURS = 24;

export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(JSON.stringify(body)).digest('hex');
}

/**
 * Idempotency-Key handling: the first request with a key stores its answer; a repeat with the same
 * body gets that answer, a repeat with a different body 422. Scoped per API key.
 */
@Injectable()
export class IdempotencyService {
  /** The stored answer for this key, or null when the key is new (then `claim` it in the same transaction). */
  async lookup(em: EntityManager, apiKeyId: string, key: string, hash: string): Promise<StoredAnswer | null> {
    const [row]: Array<{ request_hash: string; response_status: number; response_body: unknown }> = await em.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys
        WHERE api_key_id = $1 AND key = $2 AND created_at > now() - make_interval(hours => $3)`,
      [apiKeyId, key, IDEMPOTENCY_TTL_HOURS],
    );
    if (!row) return null;
    if (row.request_hash !== hash) {
      throw new UnprocessableError('This Idempotency-Key was used with a different request', { idempotencyKey: key });
    }
    return { status: row.response_status, body: row.response_body };
  }

  /**
   * Claims the key with the answer known so far. A concurrent request with the same key waits on
   * the row lock until this transaction ends; returns false when another request already holds it.
   */
  async claim(em: EntityManager, apiKeyId: string, key: string, route: string, hash: string, answer: StoredAnswer): Promise<boolean> {
    await em.query(`DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND created_at <= now() - make_interval(hours => $3)`, [
      apiKeyId,
      key,
      IDEMPOTENCY_TTL_HOURS,
    ]);
    const rows: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (api_key_id, key, route, request_hash, response_status, response_body)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING key`,
      [apiKeyId, key, route, hash, answer.status, JSON.stringify(answer.body)],
    );
    return rows.length > 0;
  }

  async update(em: EntityManager, apiKeyId: string, key: string, answer: StoredAnswer): Promise<void> {
    await em.query(`UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE api_key_id = $1 AND key = $2`, [
      apiKeyId,
      key,
      answer.status,
      JSON.stringify(answer.body),
    ]);
  }
}
