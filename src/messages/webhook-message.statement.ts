import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { EventAnnouncer } from '../live/event-announcer';
import { createdEventData, type InboundMessage } from './message-store';

/**
 * The webhook's hot path, a new message in a room omnigate knows, as ONE statement (one round
 * trip, no BEGIN/COMMIT, a named prepared statement): the room row locked, the message inserted,
 * the room's counters, the live event and the delivery record. It does the same as the general
 * path (RoomEventApplier + MessageStore) for that case and nothing otherwise: an unknown room or a
 * message omnigate already holds (a redelivery, an edit, our own message coming back) writes
 * nothing and goes the general way.
 */
const SQL = `
WITH room AS (
  SELECT id, visitor_id FROM rooms WHERE rocketchat_room_id = $1 FOR UPDATE
), message AS (
  INSERT INTO messages (id, rocketchat_message_id, room_id, author_type, author_id, author_username, author_name, text, attachments, system_type, sent_at, edited_at)
  SELECT $2::uuid, $3, room.id, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12 FROM room
  ON CONFLICT (rocketchat_message_id) DO NOTHING
  RETURNING id, room_id, sent_at
), counted AS (
  UPDATE rooms r SET message_count = r.message_count + 1, last_message_at = GREATEST(r.last_message_at, message.sent_at), updated_at = now()
    FROM message WHERE r.id = message.room_id RETURNING r.id
), event AS (
  INSERT INTO events (type, room_id, visitor_id, data)
  SELECT 'message.created', room.id, room.visitor_id, $13::jsonb || jsonb_build_object('roomId', room.id) FROM room, message
  RETURNING id::text AS id
), delivery AS (
  INSERT INTO webhook_deliveries (event_type, rocketchat_room_id, dedupe_key, payload, outcome)
  SELECT $14, $1, $15, $16::jsonb, 'applied' FROM message
  RETURNING id
)
SELECT room.id AS room_id, (SELECT id FROM event) AS event_id, (SELECT count(*) FROM counted) AS counted FROM room, message`;

export interface DeliveryRecord {
  type: string | null;
  dedupeKey: string;
  payload: string | null;
}

@Injectable()
export class WebhookMessageStatement {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly announcer: EventAnnouncer,
  ) {}

  /** omnigate's room id when the message was new in a known room (all written), else null (nothing written). */
  async insert(rocketchatRoomId: string, m: InboundMessage, delivery: DeliveryRecord): Promise<string | null> {
    const id = randomUUID();
    const event = createdEventData(id, m);
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query<{ room_id: string; event_id: string }>({
      name: 'omnigate-webhook-new-message',
      text: SQL,
      values: [
        rocketchatRoomId,
        id,
        m.rocketchatMessageId,
        m.authorType,
        m.authorId ?? null,
        m.authorUsername ?? null,
        m.authorName ?? null,
        m.text,
        JSON.stringify(m.attachments),
        m.systemType ?? null,
        m.sentAt,
        m.editedAt ?? null,
        JSON.stringify(event),
        delivery.type,
        delivery.dedupeKey,
        delivery.payload,
      ],
    });
    const row = rows[0];
    if (!row) return null;
    this.announcer.announce(row.event_id);
    return row.room_id;
  }
}
