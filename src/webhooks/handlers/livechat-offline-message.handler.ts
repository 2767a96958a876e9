import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JsonObject, OfflineMessagePayload, parseOfflineMessage } from '../webhook-payload';
import type { HandlerContext, HandlerResult, WebhookHandler } from './webhook-handler';

/** How far back an offline message left through omnigate's API may be matched by its webhook. */
const API_MATCH_WINDOW = '10 minutes';

/**
 * A message left while no agent was online: no room. When omnigate's own API sent it moments ago,
 * the webhook confirms that row instead of adding a second one.
 */
@Injectable()
export class LivechatOfflineMessageHandler implements WebhookHandler<OfflineMessagePayload> {
  readonly type = 'LivechatOfflineMessage';

  parse(body: JsonObject): OfflineMessagePayload {
    return parseOfflineMessage(body);
  }

  async handle(em: EntityManager, p: OfflineMessagePayload, ctx: HandlerContext): Promise<HandlerResult> {
    const sentAt = p.sentAt ?? ctx.receivedAt;
    // one delivery per sender at a time: two copies arriving together must not both insert
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('offline:' || lower($1), 0))`, [p.email]);
    // a redelivery: the row it created, or the API row it already confirmed
    const seen: unknown[] = await em.query(
      `SELECT 1 FROM offline_messages
        WHERE lower(email) = lower($1) AND message = $2 AND webhook_received_at IS NOT NULL
          AND ((source = 'webhook' AND sent_at = $3)
            OR (source = 'api' AND sent_at BETWEEN $3::timestamptz - interval '${API_MATCH_WINDOW}' AND $3::timestamptz + interval '1 minute'))
        LIMIT 1`,
      [p.email, p.message, sentAt],
    );
    if (seen.length) return { changed: false };
    // a CTE, because TypeORM answers a bare UPDATE with [rows, count] rather than rows
    const confirmed: unknown[] = await em.query(
      `WITH confirmed AS (UPDATE offline_messages SET webhook_received_at = $4
        WHERE id = (SELECT id FROM offline_messages
                     WHERE lower(email) = lower($1) AND message = $2 AND source = 'api' AND webhook_received_at IS NULL
                       AND sent_at BETWEEN $3::timestamptz - interval '${API_MATCH_WINDOW}' AND $3::timestamptz + interval '1 minute'
                     ORDER BY sent_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id) SELECT id FROM confirmed`,
      [p.email, p.message, sentAt, ctx.receivedAt],
    );
    if (confirmed.length) return { changed: true };
    await em.query(
      `INSERT INTO offline_messages (name, email, message, department, source, sent_at, webhook_received_at)
       VALUES ($1, $2, $3, $4, 'webhook', $5, $6)`,
      [p.name, p.email, p.message, p.department ?? null, sentAt, ctx.receivedAt],
    );
    return { changed: true };
  }
}
