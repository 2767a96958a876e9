import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export const EVENTS_CHANNEL = 'omnigate_events';

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
 * Appends to the event log inside the caller's transaction and announces it: pg_notify inside a
 * transaction is delivered at commit, so listeners hear of exactly the committed events. Callers
 * hold the room's row lock, so a room's events get ids in commit order.
 */
@Injectable()
export class EventLog {
  async append(em: EntityManager, event: { type: LiveEventType; roomId: string; visitorId: string; data: Record<string, unknown> }): Promise<string> {
    const rows: Array<{ id: string }> = await em.query(
      `WITH e AS (INSERT INTO events (type, room_id, visitor_id, data) VALUES ($1, $2, $3, $4) RETURNING id)
       SELECT e.id::text AS id, pg_notify('${EVENTS_CHANNEL}', e.id::text) FROM e`,
      [event.type, event.roomId, event.visitorId, JSON.stringify(event.data)],
    );
    return rows[0]!.id;
  }
}
