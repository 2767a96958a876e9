import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { announceAfterCommit, EVENTS_CHANNEL } from './event-notify.subscriber';

export { EVENTS_CHANNEL } from './event-notify.subscriber';

/** What an app can receive live (SSE) or by callback. */
export type LiveEventType =
  | 'message.created'
  | 'message.edited'
  | 'message.deleted'
  | 'message.delivery'
  | 'room.queued'
  | 'room.taken'
  | 'room.forwarded'
  | 'room.closed';

export const LIVE_EVENT_TYPES: readonly LiveEventType[] = [
  'message.created',
  'message.edited',
  'message.deleted',
  'message.delivery',
  'room.queued',
  'room.taken',
  'room.forwarded',
  'room.closed',
];

export interface LiveEvent {
  id: string;
  type: LiveEventType;
  roomId: string;
  visitorId: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Appending to the event log as SQL: `rows` selects (type, room_id, visitor_id, data). The one
 * definition of an event row, run by EventLog.append and inlined by the one-statement hot paths of
 * src/messages, which hold the room's lock in the same statement and announce the ids returned
 * (EventAnnouncer). `returning` adds columns to the `id` returned.
 */
export function appendEventsSql(rows: string, returning = ''): string {
  return `INSERT INTO live_events (type, room_id, visitor_id, data) ${rows} RETURNING id::text AS id${returning ? `, ${returning}` : ''}`;
}

const APPEND_ONE_SQL = appendEventsSql('VALUES ($1, $2, $3, $4)');

/**
 * Appends to the event log inside the caller's transaction. The NOTIFY (id only) follows right
 * after the commit (EventNotifySubscriber), so listeners hear of exactly the committed events.
 * Callers hold the room's row lock, so a room's events get ids in commit order.
 */
@Injectable()
export class EventLog {
  async append(em: EntityManager, event: { type: LiveEventType; roomId: string; visitorId: string; data: Record<string, unknown> }): Promise<string> {
    const rows: Array<{ id: string }> = await em.query(APPEND_ONE_SQL, [event.type, event.roomId, event.visitorId, JSON.stringify(event.data)]);
    const id = rows[0]!.id;
    if (em.queryRunner?.isTransactionActive) announceAfterCommit(em.queryRunner, id);
    else await em.query(`SELECT pg_notify('${EVENTS_CHANNEL}', $1)`, [id]);
    return id;
  }
}
