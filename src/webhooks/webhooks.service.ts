import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { type DeliveryOutcome, recordReceiptsSql } from './webhook-receipt.entity';
import type { WebhookAckDto } from './dto/webhook-ack.dto';
import { WEBHOOK_HANDLERS, WebhookHandlerMap } from './handlers/webhook-handler';
import { canonicalJson, cleanText, sha256Hex, TooDeepError } from './webhook-content';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookMessageStatement } from '../messages/webhook-message.statement';
import { inboundMessage } from './webhook.mapper';
import { isJsonObject, JsonObject, RoomPayload, WebhookPayloadError } from './webhook-payload';

const RECORD_ONE_SQL = recordReceiptsSql('VALUES ($1, $2, $3, $4, $5, $6)');

interface Delivery {
  type: string | null;
  roomId: string | null;
  dedupeKey: string;
  payload: string | null;
}

/**
 * Receives one delivery: records it in webhook_receipts and applies it in ONE transaction, so
 * the 200 goes out only once both are committed; any database failure escapes as 5xx and
 * Rocket.Chat retries. Bad input is a 4xx, kept as `rejected` for audit.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WEBHOOK_HANDLERS) private readonly handlers: WebhookHandlerMap,
    private readonly metrics: WebhookMetrics,
    private readonly newMessage: WebhookMessageStatement,
  ) {}

  async receive(raw: unknown, receivedAt = new Date()): Promise<WebhookAckDto> {
    const startedAt = process.hrtime.bigint();
    if (!isJsonObject(raw)) throw new ValidationFailedError([{ field: 'body', errors: ['body must be a JSON object'] }]);
    let canonical;
    try {
      canonical = canonicalJson(raw);
    } catch (error) {
      if (error instanceof TooDeepError) return this.refuseTooDeep(raw, error, startedAt);
      throw error;
    }
    const body: JsonObject = canonical.cleaned ? (JSON.parse(canonical.text) as JsonObject) : raw;
    const delivery: Delivery = {
      type: typeof body.type === 'string' ? body.type.slice(0, 64) : null,
      roomId: typeof body._id === 'string' ? body._id.slice(0, 64) : null,
      dedupeKey: sha256Hex(canonical.text),
      payload: canonical.text,
    };
    const handler = delivery.type ? this.handlers.get(delivery.type) : undefined;
    if (!handler) {
      // answered 200: Rocket.Chat would retry a refusal forever, and a newer version's event is no fault
      await this.record(this.dataSource.manager, delivery, 'ignored');
      this.metrics.record(delivery.type ?? '', false, 'ignored', startedAt);
      return { ok: true };
    }

    let parsed: unknown;
    try {
      parsed = handler.parse(body);
    } catch (error) {
      if (!(error instanceof WebhookPayloadError)) throw error;
      await this.record(this.dataSource.manager, delivery, 'rejected', error.message);
      this.metrics.record(handler.type, true, 'rejected', startedAt);
      throw new ValidationFailedError([{ field: error.field, errors: [error.message] }]);
    }

    // the hot path: a new message in a known room, in one statement (nothing written otherwise)
    if (handler.type === 'Message') {
      const p = parsed as RoomPayload;
      const roomId = p.messages.length === 1 ? await this.newMessage.insert(p.roomId, inboundMessage(p.messages[0]!, p, receivedAt), delivery) : null;
      if (roomId) {
        this.metrics.record(handler.type, true, 'applied', startedAt);
        return { ok: true, roomId };
      }
    }

    const result = await this.dataSource.transaction(async (em) => {
      const r = await handler.handle(em, parsed, { receivedAt, contentKey: delivery.dedupeKey });
      await this.record(em, delivery, r.changed ? 'applied' : 'duplicate');
      return r;
    });
    this.metrics.record(handler.type, true, result.changed ? 'applied' : 'duplicate', startedAt);
    return result.roomId ? { ok: true, roomId: result.roomId } : { ok: true };
  }

  /**
   * A body nested past any real event's depth: refused before it is walked or stored. A known type
   * is still kept as rejected for audit, without its payload (jsonb refuses such depth anyway).
   */
  private async refuseTooDeep(raw: JsonObject, error: TooDeepError, startedAt: bigint): Promise<never> {
    const type = typeof raw.type === 'string' ? cleanText(raw.type).slice(0, 64) : null;
    const handler = type ? this.handlers.get(type) : undefined;
    if (handler) {
      const roomId = typeof raw._id === 'string' ? cleanText(raw._id).slice(0, 64) : null;
      await this.record(this.dataSource.manager, { type, roomId, dedupeKey: sha256Hex(error.message), payload: null }, 'rejected', error.message);
      this.metrics.record(handler.type, true, 'rejected', startedAt);
    }
    throw new ValidationFailedError([{ field: 'body', errors: [error.message] }]);
  }

  private async record(em: EntityManager, d: Delivery, outcome: DeliveryOutcome, error?: string): Promise<void> {
    await em.query(RECORD_ONE_SQL, [d.type, d.roomId, d.dedupeKey, d.payload, outcome, error ?? null]);
  }
}
