import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { pgPool } from '../database/pg-pool';
import { StatementBatcher } from '../database/statement-batcher';
import { DataSource } from 'typeorm';
import { EventAnnouncer } from '../live/event-announcer';
import { appendEventsSql } from '../live/event-log';
import { countMessagesSql } from '../rooms/room-store';
import { recordReceiptsSql } from '../webhooks/webhook-receipt.entity';
import { createdEventData, type InboundMessage } from './message-store';

/**
 * The webhook's hot path, a new message in a room omnigate knows, as ONE statement (one round
 * trip, no BEGIN/COMMIT, a named prepared statement): the room rows locked, the messages inserted,
 * the rooms' counters, the live events and the webhook receipts (each table's SQL from its owner:
 * countMessagesSql, appendEventsSql, recordReceiptsSql). Deliveries arriving while
 * statements are in flight go together in the next one (one commit for all); a lone delivery goes
 * at once. It does the same as the general path (RoomEventApplier + MessageStore) for that case and
 * nothing otherwise: an unknown room or a message omnigate already holds (a redelivery, an edit,
 * our own message coming back) writes nothing for that delivery, which goes the general way.
 */
const SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[],
                       $11::timestamptz[], $12::timestamptz[], $13::jsonb[], $14::text[], $15::text[], $16::jsonb[]) WITH ORDINALITY
    AS i(rid, id, rcid, author_type, author_id, author_username, author_name, text, attachments, system_type, sent_at, edited_at, event, dtype, dkey, payload, ord)
), room AS (
  -- locked in id order: two statements never wait on each other's rooms crosswise
  SELECT r.id, r.visitor_id, r.rocketchat_room_id FROM rooms r WHERE r.rocketchat_room_id IN (SELECT rid FROM input) ORDER BY r.id FOR UPDATE
), message AS (
  INSERT INTO messages (id, rocketchat_message_id, room_id, author_type, author_id, author_username, author_name, text, attachments, system_type, sent_at, edited_at)
  SELECT i.id, i.rcid, room.id, i.author_type, i.author_id, i.author_username, i.author_name, i.text, i.attachments, i.system_type, i.sent_at, i.edited_at
    FROM input i JOIN room ON room.rocketchat_room_id = i.rid ORDER BY i.ord
  ON CONFLICT (rocketchat_message_id) DO NOTHING
  RETURNING id, room_id, sent_at
), counted AS (
  ${countMessagesSql('message')}
), event AS (
  -- in arrival order: a room's events get ids in the order its deliveries came
  ${appendEventsSql(
    `SELECT 'message.created', room.id, room.visitor_id, i.event || jsonb_build_object('roomId', room.id)
       FROM input i JOIN message ON message.id = i.id JOIN room ON room.id = message.room_id ORDER BY i.ord`,
    `data->>'id' AS message_id`,
  )}
), delivery AS (
  ${recordReceiptsSql(`SELECT i.dtype, i.rid, i.dkey, i.payload, 'applied', NULL FROM input i JOIN message ON message.id = i.id ORDER BY i.ord`)}
)
SELECT message.id::text AS message_id, message.room_id, event.id AS event_id, (SELECT count(*) FROM counted) AS counted, (SELECT count(*) FROM delivery) AS recorded
  FROM message JOIN event ON event.message_id = message.id::text`;

interface Delivery {
  rid: string;
  id: string;
  m: InboundMessage;
  delivery: DeliveryRecord;
}

export interface DeliveryRecord {
  type: string | null;
  dedupeKey: string;
  payload: string | null;
}

@Injectable()
export class WebhookMessageStatement {
  /** deliveries arriving while two statements run go together in the next (StatementBatcher) */
  private readonly batcher = new StatementBatcher<Delivery, string | null>((batch) => this.statement(batch));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly announcer: EventAnnouncer,
  ) {}

  /** omnigate's room id when the message was new in a known room (all written), else null (nothing written). */
  insert(rocketchatRoomId: string, m: InboundMessage, delivery: DeliveryRecord): Promise<string | null> {
    return this.batcher.submit({ rid: rocketchatRoomId, id: randomUUID(), m, delivery });
  }

  private async statement(batch: Delivery[]): Promise<Array<string | null>> {
    const column = <T>(f: (w: Delivery) => T): T[] => batch.map(f);
    const pool = pgPool(this.dataSource);
    const { rows } = await pool.query<{ message_id: string; room_id: string; event_id: string }>({
      name: 'omnigate-webhook-new-messages',
      text: SQL,
      values: [
        column((w) => w.rid),
        column((w) => w.id),
        column((w) => w.m.rocketchatMessageId),
        column((w) => w.m.authorType),
        column((w) => w.m.authorId ?? null),
        column((w) => w.m.authorUsername ?? null),
        column((w) => w.m.authorName ?? null),
        column((w) => w.m.text),
        column((w) => JSON.stringify(w.m.attachments)),
        column((w) => w.m.systemType ?? null),
        column((w) => w.m.sentAt),
        column((w) => w.m.editedAt ?? null),
        column((w) => JSON.stringify(createdEventData(w.id, w.m))),
        column((w) => w.delivery.type),
        column((w) => w.delivery.dedupeKey),
        column((w) => w.delivery.payload),
      ],
    });
    const written = new Map<string, string>();
    for (const r of rows) {
      written.set(r.message_id, r.room_id);
      this.announcer.announce(r.event_id);
    }
    return batch.map((w) => written.get(w.id) ?? null);
  }
}
