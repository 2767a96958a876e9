import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { pgPool } from '../database/pg-pool';
import { DataSource } from 'typeorm';
import { EventAnnouncer } from '../live/event-announcer';
import { appendEventsSql } from '../live/event-log';
import { countMessagesSql } from '../rooms/room-store';
import type { StoredAttachment } from './message.entity';

/** A pending message with what its delivery needs. */
export interface OutboxRow {
  id: string;
  text: string;
  attempts: number;
  roomId: string;
  rocketchatRoomId: string;
  visitorId: string;
  token: string;
}

export interface NewVisitorMessage {
  id: string;
  text: string;
  attachments: StoredAttachment[];
  sentAt: Date;
  /** seconds until the sweeper may try it, should this process not get to it */
  leaseSeconds: number;
}

export type Inserted =
  | { outcome: 'no-room' }
  | { outcome: 'closed' }
  | {
      outcome: 'inserted';
      row: OutboxRow;
      seq: string;
      author: { id: string | null; username: string | null; name: string | null };
      /** an older message of the room still waits: this one must not overtake it */
      olderPending: boolean;
    };

interface PendingColumns {
  id: string;
  text: string;
  delivery_attempts: number;
  room_id: string;
  rocketchat_room_id: string;
  visitor_id: string;
  token: string;
}

function toRow(r: PendingColumns): OutboxRow {
  return { id: r.id, text: r.text, attempts: r.delivery_attempts, roomId: r.room_id, rocketchatRoomId: r.rocketchat_room_id, visitorId: r.visitor_id, token: r.token };
}

const ROOM_BY = { id: 'r.id = $1::uuid', rocketchatId: 'r.rocketchat_room_id = $1' } as const;

/**
 * One statement: the room locked (its events keep commit order), the message inserted `pending`
 * unless the room is closed, the counters, the `message.created` event; and whether an older
 * message still waits. Nothing is written for a closed or unknown room.
 */
const insertSql = (by: keyof typeof ROOM_BY): string => `
WITH room AS (
  SELECT r.id, r.visitor_id, r.status, r.rocketchat_room_id, v.token, v.rocketchat_id AS author_id, v.username AS author_username, v.name AS author_name
    FROM rooms r JOIN visitors v ON v.id = r.visitor_id WHERE ${ROOM_BY[by]} FOR UPDATE OF r
), message AS (
  INSERT INTO messages (id, rocketchat_message_id, room_id, author_type, author_id, author_username, author_name, text, attachments, sent_at, delivery_status, next_attempt_at)
  SELECT $2::uuid, $2::text, room.id, 'visitor', room.author_id, room.author_username, room.author_name, $3, $4::jsonb, $5, 'pending', $5::timestamptz + make_interval(secs => $6)
    FROM room WHERE room.status <> 'closed'
  RETURNING id, seq, room_id, sent_at
), counted AS (
  ${countMessagesSql('message')}
), event AS (
  ${appendEventsSql(
    `SELECT 'message.created', room.id, room.visitor_id,
            $7::jsonb || jsonb_build_object('roomId', room.id, 'authorName', room.author_name, 'authorUsername', room.author_username)
       FROM room, message`,
  )}
)
SELECT room.id AS room_id, room.visitor_id, room.status, room.rocketchat_room_id, room.token, room.author_id, room.author_username, room.author_name,
       (SELECT seq::text FROM message) AS seq, (SELECT id FROM event) AS event_id, (SELECT count(*) FROM counted) AS counted,
       EXISTS (SELECT 1 FROM messages o WHERE o.room_id = room.id AND o.delivery_status = 'pending') AS older_pending
  FROM room`;

/**
 * A final result, under the room lock, with its `message.delivery` event. `sent` counts only for
 * the text that was sent ($5): a message edited while it was being delivered stays pending, and
 * its next attempt brings Rocket.Chat's copy up to date.
 */
const SETTLE_SQL = `
WITH room AS (
  SELECT id, visitor_id FROM rooms WHERE id = $1 FOR UPDATE
), settled AS (
  UPDATE messages SET delivery_status = $3::varchar, delivery_error = $4, delivery_attempts = delivery_attempts + 1, next_attempt_at = NULL,
         delivered_at = CASE WHEN $3::varchar = 'sent' THEN now() END
   WHERE id = $2 AND delivery_status = 'pending' AND ($3::varchar <> 'sent' OR text = $5) RETURNING id
), event AS (
  ${appendEventsSql(
    `SELECT 'message.delivery', room.id, room.visitor_id, jsonb_build_object('id', $2::text, 'roomId', room.id, 'deliveryStatus', $3::text, 'deliveryError', $4::text)
       FROM room, settled`,
  )}
)
SELECT (SELECT id FROM event) AS event_id`;

/**
 * The room's oldest pending message, claimed for `$2` seconds: a row locked by another claimer is
 * skipped, and one another instance claimed is not due yet. `$3`: the room is already this
 * caller's (it just delivered the message before), so its next message need not be due.
 */
const CLAIM_SQL = `
UPDATE messages m SET next_attempt_at = now() + make_interval(secs => $2)
  FROM rooms r JOIN visitors v ON v.id = r.visitor_id
 WHERE m.id = (SELECT id FROM messages WHERE room_id = $1 AND delivery_status = 'pending' ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
   AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= now() OR $3)
   AND r.id = m.room_id
RETURNING m.id, m.text, m.delivery_attempts, m.room_id, r.rocketchat_room_id, r.visitor_id, v.token`;

/**
 * The message row as its own outbox (migrations/*-MessagesAsOutbox.ts): a visitor message is
 * stored `pending` with the time it may be tried next; the immediate attempt settles it in
 * process, a sweeper (MessageDelivery) takes what an outage or a crash left. Statements go
 * straight to pg, named and prepared: these are the hot path's round trips.
 */
@Injectable()
export class MessageOutbox {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly announcer: EventAnnouncer,
  ) {}

  private pool(): Pool {
    return pgPool(this.dataSource);
  }

  async insert(room: { id?: string; rocketchatId?: string }, m: NewVisitorMessage, createdEvent: Record<string, unknown>): Promise<Inserted> {
    const by = room.id ? 'id' : 'rocketchatId';
    const { rows } = await this.pool().query<{
      room_id: string;
      visitor_id: string;
      status: string;
      rocketchat_room_id: string;
      token: string;
      author_id: string | null;
      author_username: string | null;
      author_name: string | null;
      seq: string | null;
      event_id: string | null;
      older_pending: boolean;
    }>({
      name: `omnigate-outbox-insert-${by}`,
      text: insertSql(by),
      values: [room.id ?? room.rocketchatId, m.id, m.text, JSON.stringify(m.attachments), m.sentAt, m.leaseSeconds, JSON.stringify(createdEvent)],
    });
    const r = rows[0];
    if (!r) return { outcome: 'no-room' };
    if (!r.seq) return { outcome: 'closed' };
    if (r.event_id) this.announcer.announce(r.event_id);
    return {
      outcome: 'inserted',
      seq: r.seq,
      olderPending: r.older_pending,
      author: { id: r.author_id, username: r.author_username, name: r.author_name },
      row: { id: m.id, text: m.text, attempts: 0, roomId: r.room_id, rocketchatRoomId: r.rocketchat_room_id, visitorId: r.visitor_id, token: r.token },
    };
  }

  /**
   * Sent (with the text `row` carried) or failed, once: false when it was no longer pending
   * (settled meanwhile), or was edited since that text was sent (still pending).
   */
  async settle(row: Pick<OutboxRow, 'id' | 'roomId' | 'text'>, status: 'sent' | 'failed', error: string | null): Promise<boolean> {
    const { rows } = await this.pool().query<{ event_id: string | null }>({
      name: 'omnigate-outbox-settle',
      text: SETTLE_SQL,
      values: [row.roomId, row.id, status, error, row.text],
    });
    const eventId = rows[0]?.event_id;
    if (eventId) this.announcer.announce(eventId);
    return !!eventId;
  }

  /** Rocket.Chat was unavailable: tried again in `delaySeconds`; false when no longer pending. */
  async postpone(id: string, problem: string, delaySeconds: number): Promise<boolean> {
    const { rowCount } = await this.pool().query({
      name: 'omnigate-outbox-postpone',
      text: `UPDATE messages SET delivery_error = $2, delivery_attempts = delivery_attempts + 1, next_attempt_at = now() + make_interval(secs => $3)
              WHERE id = $1 AND delivery_status = 'pending'`,
      values: [id, problem, delaySeconds],
    });
    return rowCount === 1;
  }

  /** Where a message's delivery stands (null: no such message, erased). */
  async outcome(id: string): Promise<{ status: 'pending' | 'sent' | 'failed' | null; error: string | null } | null> {
    const { rows } = await this.pool().query<{ delivery_status: 'pending' | 'sent' | 'failed' | null; delivery_error: string | null }>({
      name: 'omnigate-outbox-outcome',
      text: 'SELECT delivery_status, delivery_error FROM messages WHERE id = $1',
      values: [id],
    });
    const r = rows[0];
    return r ? { status: r.delivery_status, error: r.delivery_error } : null;
  }

  /** Rooms with a pending message due now. */
  async dueRooms(limit: number): Promise<string[]> {
    const { rows } = await this.pool().query<{ room_id: string }>({
      name: 'omnigate-outbox-due',
      text: `SELECT DISTINCT room_id FROM messages WHERE delivery_status = 'pending' AND next_attempt_at <= now() LIMIT $1`,
      values: [limit],
    });
    return rows.map((r) => r.room_id);
  }

  async claimOldest(roomId: string, leaseSeconds: number, continuing: boolean): Promise<OutboxRow | null> {
    const { rows } = await this.pool().query<PendingColumns>({
      name: 'omnigate-outbox-claim',
      text: CLAIM_SQL,
      values: [roomId, leaseSeconds, continuing],
    });
    const r = rows[0];
    return r ? toRow(r) : null;
  }

  /** A pending message as the keyed (Idempotency-Key) path left it, with whether an older one waits. */
  async pending(id: string): Promise<{ row: OutboxRow; olderPending: boolean; status: string; error: string | null } | null> {
    const { rows } = await this.pool().query<PendingColumns & { delivery_status: string; delivery_error: string | null; older_pending: boolean }>({
      name: 'omnigate-outbox-pending',
      text: `SELECT m.id, m.text, m.delivery_attempts, m.room_id, r.rocketchat_room_id, r.visitor_id, v.token, m.delivery_status, m.delivery_error,
                    EXISTS (SELECT 1 FROM messages o WHERE o.room_id = m.room_id AND o.delivery_status = 'pending' AND o.seq < m.seq) AS older_pending
               FROM messages m JOIN rooms r ON r.id = m.room_id JOIN visitors v ON v.id = r.visitor_id WHERE m.id = $1`,
      values: [id],
    });
    const r = rows[0];
    if (!r) return null;
    return {
      row: toRow(r),
      olderPending: r.older_pending,
      status: r.delivery_status,
      error: r.delivery_error,
    };
  }
}
