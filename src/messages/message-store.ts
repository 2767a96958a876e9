import { Injectable } from '@nestjs/common';
import { EventLog } from '../live/event-log';
import { EntityManager } from 'typeorm';
import { RoomEntity } from '../rooms/room.entity';
import { RoomStore } from '../rooms/room-store';
import { AuthorType, StoredAttachment } from './message.entity';

/** A message as Rocket.Chat knows it (webhook, history), in omnigate's terms. */
export interface InboundMessage {
  rocketchatMessageId: string;
  authorType: AuthorType;
  authorId?: string | null;
  authorUsername?: string | null;
  authorName?: string | null;
  text: string;
  attachments: StoredAttachment[];
  systemType?: string | null;
  sentAt: Date;
  editedAt?: Date | null;
  /** `sent` for a visitor's message omnigate itself handed to Rocket.Chat (a file); inbound ones have none */
  deliveryStatus?: 'sent' | null;
}

export type UpsertOutcome = 'inserted' | 'edited' | 'confirmed' | 'unchanged';

/**
 * The `message.created` live event's data (but `roomId`): one shape whichever path stored the
 * message (this store, the outbox, the webhook's one statement).
 */
export function createdEventData(id: string, m: Omit<InboundMessage, 'deliveryStatus'> & { deliveryStatus?: string | null }): Record<string, unknown> {
  return {
    id,
    rocketchatMessageId: m.rocketchatMessageId,
    authorType: m.authorType,
    authorName: m.authorName ?? null,
    authorUsername: m.authorUsername ?? null,
    text: m.text,
    attachments: m.attachments,
    systemType: m.systemType ?? null,
    sentAt: m.sentAt.toISOString(),
    deliveryStatus: m.deliveryStatus ?? null,
  };
}

/** Persistence rules for messages, inside the caller's transaction (room row already locked). */
@Injectable()
export class MessageStore {
  constructor(
    private readonly rooms: RoomStore,
    private readonly events: EventLog,
  ) {}

  /** Announces a stored message to live listeners (same transaction, room row locked). */
  async announce(em: EntityManager, room: RoomEntity, id: string, m: Omit<InboundMessage, 'deliveryStatus'> & { deliveryStatus?: string | null }): Promise<void> {
    await this.events.append(em, {
      type: 'message.created',
      roomId: room.id,
      visitorId: room.visitorId,
      data: { ...createdEventData(id, m), roomId: room.id },
    });
  }

  /**
   * Inserts a message by its Rocket.Chat `_id`, once. A message omnigate already has is left alone,
   * except that a newer edit replaces its text (the first version is kept in room_history) and an
   * outbound message still `pending` is confirmed `sent` (Rocket.Chat has it).
   */
  async upsert(em: EntityManager, room: RoomEntity, m: InboundMessage): Promise<{ outcome: UpsertOutcome; id: string }> {
    const inserted: Array<{ id: string }> = await em.query(
      `INSERT INTO messages (rocketchat_message_id, room_id, author_type, author_id, author_username, author_name, text, attachments, system_type, sent_at, edited_at,
                             delivery_status, delivered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::varchar, CASE WHEN $12::varchar = 'sent' THEN now() END)
       ON CONFLICT (rocketchat_message_id) DO NOTHING
       RETURNING id`,
      [
        m.rocketchatMessageId,
        room.id,
        m.authorType,
        m.authorId ?? null,
        m.authorUsername ?? null,
        m.authorName ?? null,
        m.text,
        JSON.stringify(m.attachments),
        m.systemType ?? null,
        m.sentAt,
        m.editedAt ?? null,
        m.deliveryStatus ?? null,
      ],
    );
    if (inserted[0]) {
      await this.rooms.countMessage(em, room, m.sentAt);
      await this.announce(em, room, inserted[0].id, m);
      return { outcome: 'inserted', id: inserted[0].id };
    }

    const [existing]: Array<{ id: string; text: string; edited_at: Date | null; delivery_status: string | null; room_id: string }> = await em.query(
      `SELECT id, text, edited_at, delivery_status, room_id FROM messages WHERE rocketchat_message_id = $1 FOR UPDATE`,
      [m.rocketchatMessageId],
    );
    if (!existing) return { outcome: 'unchanged', id: '' };
    // our own message coming back, still pending here: confirmed when Rocket.Chat holds the text
    // omnigate holds; one edited while being delivered stays pending (its next attempt edits
    // Rocket.Chat's copy, MessageEdits)
    if (existing.delivery_status === 'pending' && existing.text !== m.text) return { outcome: 'unchanged', id: existing.id };
    if (existing.delivery_status === 'pending') {
      await em.query(`UPDATE messages SET delivery_status = 'sent', delivered_at = now(), delivery_error = NULL WHERE id = $1`, [existing.id]);
      await this.announceDelivery(em, room, existing.id, 'sent', null);
      return { outcome: 'confirmed', id: existing.id };
    }
    const isNewerEdit = m.editedAt && (!existing.edited_at || m.editedAt.getTime() > existing.edited_at.getTime());
    if (isNewerEdit && m.text !== existing.text) {
      await this.applyEdit(em, room, { id: existing.id, rocketchatMessageId: m.rocketchatMessageId, previousText: existing.text, text: m.text, editedAt: m.editedAt! });
      return { outcome: 'edited', id: existing.id };
    }
    return { outcome: 'unchanged', id: existing.id };
  }

  /**
   * A deletion by the visitor (room row locked): `deleted_at` set, the text kept for audit and
   * recorded in the room's history (`message_deleted`), `message.deleted` announced.
   */
  async applyDeletion(em: EntityManager, room: RoomEntity, d: { id: string; rocketchatMessageId: string; text: string; deletedAt: Date }): Promise<void> {
    await this.rooms.appendEvent(em, { id: room.id }, 'message_deleted', { messageId: d.id, rocketchatMessageId: d.rocketchatMessageId, text: d.text }, d.deletedAt, `message_deleted:${d.rocketchatMessageId}`);
    await em.query(`UPDATE messages SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL`, [d.id, d.deletedAt]);
    await this.events.append(em, { type: 'message.deleted', roomId: room.id, visitorId: room.visitorId, data: { id: d.id, roomId: room.id, deletedAt: d.deletedAt.toISOString() } });
  }

  /**
   * An edit of a stored message (room row locked): the version it replaces kept in the room's
   * history (`message_edited`, keyed by the message and the edit's time, so the webhook of an edit
   * made through the API adds nothing), the text replaced, `message.edited` announced.
   */
  async applyEdit(em: EntityManager, room: RoomEntity, e: { id: string; rocketchatMessageId: string; previousText: string; text: string; editedAt: Date }): Promise<void> {
    await this.rooms.appendEvent(
      em,
      { id: room.id },
      'message_edited',
      { messageId: e.id, rocketchatMessageId: e.rocketchatMessageId, previousText: e.previousText, text: e.text },
      e.editedAt,
      `message_edited:${e.rocketchatMessageId}:${e.editedAt.toISOString()}`,
    );
    await em.query(`UPDATE messages SET text = $2, edited_at = $3 WHERE id = $1`, [e.id, e.text, e.editedAt]);
    await this.events.append(em, {
      type: 'message.edited',
      roomId: room.id,
      visitorId: room.visitorId,
      data: { id: e.id, roomId: room.id, text: e.text, previousText: e.previousText, editedAt: e.editedAt.toISOString() },
    });
  }

  /**
   * Ends every pending outbound message of the room as failed (the room is gone in Rocket.Chat:
   * retrying would never succeed), each announced on the room's stream.
   */
  async failPending(em: EntityManager, room: RoomEntity, reason: string): Promise<string[]> {
    // TypeORM answers an UPDATE with [rows, rowCount]
    const [failed]: [Array<{ id: string }>, number] = await em.query(
      `UPDATE messages SET delivery_status = 'failed', delivery_error = $2
        WHERE room_id = $1 AND delivery_status = 'pending' RETURNING id`,
      [room.id, reason],
    );
    for (const { id } of failed) {
      await this.announceDelivery(em, room, id, 'failed', reason);
    }
    return failed.map((r) => r.id);
  }

  /**
   * An outbound message Rocket.Chat already accepted, under omnigate's id (also its `_id` there):
   * stored `sent` once; a copy the webhook inserted first is left as it is.
   */
  async recordDelivered(em: EntityManager, room: RoomEntity, m: Omit<InboundMessage, 'rocketchatMessageId'> & { id: string }): Promise<void> {
    const rows: unknown[] = await em.query(
      `INSERT INTO messages (id, rocketchat_message_id, room_id, author_type, author_id, author_username, author_name, text, attachments, sent_at,
                             delivery_status, delivery_attempts, delivered_at)
       VALUES ($1::uuid, $1::text, $2, $3, $4, $5, $6, $7, $8, $9, 'sent', 1, now())
       ON CONFLICT (rocketchat_message_id) DO NOTHING RETURNING id`,
      [m.id, room.id, m.authorType, m.authorId ?? null, m.authorUsername ?? null, m.authorName ?? null, m.text, JSON.stringify(m.attachments), m.sentAt],
    );
    if (!rows.length) return;
    await this.rooms.countMessage(em, room, m.sentAt);
    await this.announce(em, room, m.id, { ...m, rocketchatMessageId: m.id, deliveryStatus: 'sent' });
  }

  /** A visitor's message Rocket.Chat accepted outside the delivery queue (a file): `sent`, announced when it changed. */
  async markSent(em: EntityManager, room: RoomEntity, messageId: string): Promise<void> {
    const [changed]: [unknown[], number] = await em.query(
      `UPDATE messages SET delivery_status = 'sent', delivered_at = now(), delivery_attempts = GREATEST(delivery_attempts, 1)
        WHERE id = $1 AND delivery_status IS DISTINCT FROM 'sent' RETURNING id`,
      [messageId],
    );
    if (!changed.length) return;
    await this.announceDelivery(em, room, messageId, 'sent', null);
  }

  /** GDPR erase: the visitor's messages keep their text and lose the author's name. */
  async anonymiseVisitor(em: EntityManager, visitorId: string): Promise<void> {
    await em.query(
      `UPDATE messages SET author_name = NULL, author_username = NULL
        WHERE author_type = 'visitor' AND room_id IN (SELECT id FROM rooms WHERE visitor_id = $1)`,
      [visitorId],
    );
  }

  /** A visitor message stored `pending` in the caller's transaction (room row locked): row, counters, live event. */
  async insertPending(em: EntityManager, room: RoomEntity, m: InboundMessage & { id: string; nextAttemptAt: Date }): Promise<void> {
    await em.query(
      `INSERT INTO messages (id, rocketchat_message_id, room_id, author_type, author_id, author_username, author_name, text, attachments, sent_at, delivery_status, next_attempt_at)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11)`,
      [m.id, m.rocketchatMessageId, room.id, m.authorType, m.authorId ?? null, m.authorUsername ?? null, m.authorName ?? null, m.text, JSON.stringify(m.attachments), m.sentAt, m.nextAttemptAt],
    );
    await this.rooms.countMessage(em, room, m.sentAt);
    await this.announce(em, room, m.id, { ...m, deliveryStatus: 'pending' });
  }

  /** `message.delivery`: an outbound message's final status (MessageOutbox's settle statement writes the same shape). */
  private async announceDelivery(em: EntityManager, room: RoomEntity, id: string, status: 'sent' | 'failed', error: string | null): Promise<void> {
    await this.events.append(em, {
      type: 'message.delivery',
      roomId: room.id,
      visitorId: room.visitorId,
      data: { id, roomId: room.id, deliveryStatus: status, deliveryError: error },
    });
  }

}
