import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { announceAfterCommit, EVENTS_CHANNEL } from './event-notify.subscriber';

export { EVENTS_CHANNEL } from './event-notify.subscriber';

/** What an app can receive live (SSE) or by callback. */
export type LiveEventType =
  | 'message.created'
  | 'message.edited'
  | 'message.delivery'
  | 'room.queued'
  | 'room.taken'
  | 'room.forwarded'
  | 'room.closed';

export const LIVE_EVENT_TYPES: readonly LiveEventType[] = [
  'message.created',
  'message.edited',
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
 * Appends to the event log inside the caller's transaction. The NOTIFY (id only) follows right
 * after the commit (EventNotifySubscriber), so listeners hear of exactly the committed events.
 * Callers hold the room's row lock, so a room's events get ids in commit order.
 */
@Injectable()
export class EventLog {
  async append(em: EntityManager, event: { type: LiveEventType; roomId: string; visitorId: string; data: Record<string, unknown> }): Promise<string> {
    const rows: Array<{ id: string }> = await em.query(
      `INSERT INTO events (type, room_id, visitor_id, data) VALUES ($1, $2, $3, $4) RETURNING id::text AS id`,
      [event.type, event.roomId, event.visitorId, JSON.stringify(event.data)],
    );
    const id = rows[0]!.id;
    if (em.queryRunner?.isTransactionActive) announceAfterCommit(em.queryRunner, id);
    else await em.query(`SELECT pg_notify('${EVENTS_CHANNEL}', $1)`, [id]);
    return id;
  }
}
