import { Injectable } from '@nestjs/common';
import { EventLog, LiveEventType } from '../live/event-log';
import { EntityManager } from 'typeorm';
import { RoomHistoryEntity } from './room-history.entity';
import { RoomEntity, RoomStatus } from './room.entity';
import { AgentRef, applyLifecycle, EVENT_TYPE, eventData, LifecycleEvent, RoomPatch } from './room-state';

export interface NewRoomFacts {
  rocketchatRoomId: string;
  visitorId: string;
  openedAt: Date;
  departmentId?: string | null;
  agent?: (AgentRef & { since?: Date }) | null;
  queuedAt?: Date | null;
}

/**
 * How inserted messages count in their rooms, as SQL: `source` names a CTE or table of the new
 * messages' (room_id, sent_at). The one definition of the rooms' message counters, run by
 * RoomStore.countMessage and inlined by the one-statement hot paths of src/messages (which lock
 * the rooms first, in the same statement).
 */
export function countMessagesSql(source: string): string {
  return `UPDATE rooms r SET message_count = r.message_count + c.n, last_message_at = GREATEST(r.last_message_at, c.last), updated_at = now()
    FROM (SELECT room_id, count(*) AS n, max(sent_at) AS last FROM ${source} GROUP BY room_id) c WHERE r.id = c.room_id RETURNING r.id`;
}

const COUNT_ONE_SQL = `WITH m (room_id, sent_at) AS (VALUES ($1::uuid, $2::timestamptz)) ${countMessagesSql('m')}`;

/** Persistence rules for rooms and their lifecycle history, inside the caller's transaction. */
const LIVE_TYPE: Partial<Record<LifecycleEvent['type'], LiveEventType>> = {
  queued: 'room.queued',
  taken: 'room.taken',
  forwarded: 'room.forwarded',
  closed: 'room.closed',
};

@Injectable()
export class RoomStore {
  constructor(private readonly events: EventLog) {}

  /** The room locked for this transaction, or null. */
  async lockByRocketChatId(em: EntityManager, rocketchatRoomId: string): Promise<RoomEntity | null> {
    return em.getRepository(RoomEntity).findOne({ where: { rocketchatRoomId }, lock: { mode: 'pessimistic_write' } });
  }

  async lockById(em: EntityManager, id: string): Promise<RoomEntity | null> {
    return em.getRepository(RoomEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Keeps the (locked) room's counters in step with a message just inserted. */
  async countMessage(em: EntityManager, room: RoomEntity, sentAt: Date): Promise<void> {
    await em.query(COUNT_ONE_SQL, [room.id, sentAt]);
    room.messageCount += 1;
    if (!room.lastMessageAt || room.lastMessageAt < sentAt) room.lastMessageAt = sentAt;
  }

  /**
   * The room for a Rocket.Chat room id, created (with its `started` event, and `queued` or `taken`)
   * when omnigate has not seen it yet; locked for this transaction either way.
   */
  async ensure(em: EntityManager, facts: NewRoomFacts): Promise<{ room: RoomEntity; created: boolean }> {
    const status: RoomStatus = facts.agent ? 'open' : 'queued';
    const inserted: Array<{ id: string }> = await em.query(
      `INSERT INTO rooms (rocketchat_room_id, visitor_id, status, department_id, opened_at, state_at)
       VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (rocketchat_room_id) DO NOTHING
       RETURNING id`,
      [facts.rocketchatRoomId, facts.visitorId, status, facts.departmentId ?? null, facts.openedAt],
    );
    let room = (await this.lockByRocketChatId(em, facts.rocketchatRoomId))!;
    if (!inserted.length) return { room, created: false };
    // no department in the data: it depends on which event made omnigate see the room first
    await this.appendEvent(em, room, 'started', {}, facts.openedAt, `started:${facts.rocketchatRoomId}`);
    const first: LifecycleEvent = facts.agent
      ? { type: 'taken', occurredAt: facts.agent.since ?? facts.openedAt, agent: facts.agent, departmentId: facts.departmentId }
      : { type: 'queued', occurredAt: facts.queuedAt ?? facts.openedAt, departmentId: facts.departmentId };
    room = (await this.apply(em, room, first, lifecycleKey(facts.rocketchatRoomId, first))).room;
    return { room, created: true };
  }

  /**
   * Records the event in room_history (once: by its dedupe key) and applies what it changes to the
   * room. Returns whether the event was new.
   */
  async apply(em: EntityManager, room: RoomEntity, event: LifecycleEvent, dedupeKey: string): Promise<{ room: RoomEntity; isNew: boolean }> {
    if (event.type === 'forwarded' && event.to === 'department') event = { ...event, from: { ...event.from, agent: await this.agentBefore(em, room.id, event.occurredAt) } };
    const isNew = await this.appendEvent(em, room, EVENT_TYPE[event.type], eventData(room, event), event.occurredAt, dedupeKey);
    if (isNew && (event.type === 'taken' || event.type === 'forwarded')) await this.repairForwardsAfter(em, room.id, event.occurredAt, event.agent ?? null);
    const patch = changed(room, applyLifecycle(room, event));
    if (Object.keys(patch).length) {
      await em.getRepository(RoomEntity).update({ id: room.id }, patch);
      Object.assign(room, patch);
    }
    const liveType = LIVE_TYPE[event.type];
    if (isNew && liveType) {
      await this.events.append(em, {
        type: liveType,
        roomId: room.id,
        visitorId: room.visitorId,
        data: {
          roomId: room.id,
          rocketchatRoomId: room.rocketchatRoomId,
          status: room.status,
          agent: room.agentId ? { id: room.agentId, username: room.agentUsername, name: room.agentName } : null,
          departmentId: room.departmentId,
          occurredAt: event.occurredAt.toISOString(),
          ...eventData(room, event),
        },
      });
    }
    return { room, isNew };
  }

  /** Who served the room just before `at`, by its history: the agent the last taken/forwarded event before it left. */
  private async agentBefore(em: EntityManager, roomId: string, at: Date): Promise<AgentRef | null> {
    const [last]: Array<{ agent: AgentRef | null }> = await em.query(
      `SELECT CASE type WHEN 'taken' THEN data->'agent' ELSE data->'to'->'agent' END AS agent
         FROM room_history WHERE room_id = $1 AND type IN ('taken', 'forwarded') AND occurred_at < $2
        ORDER BY occurred_at DESC, id DESC LIMIT 1`,
      [roomId, at],
    );
    return last?.agent ?? null;
  }

  /**
   * An agent event that arrives after a later department forward (redelivery, shuffled order) is
   * the previous agent of that forward: the forward's `from.agent` is set as an in-order delivery
   * would have set it.
   */
  private async repairForwardsAfter(em: EntityManager, roomId: string, at: Date, agent: AgentRef | null): Promise<void> {
    await em.query(
      `UPDATE room_history f SET data = jsonb_set(f.data, '{from,agent}', $3::jsonb)
        WHERE f.room_id = $1 AND f.type = 'forwarded' AND f.occurred_at > $2 AND f.data->'from'->>'agentFrom' = 'omnigate'
          AND f.data->'from'->'agent' IS DISTINCT FROM $3::jsonb
          AND NOT EXISTS (SELECT 1 FROM room_history e WHERE e.room_id = $1 AND e.type IN ('taken', 'forwarded')
                            AND e.occurred_at > $2 AND e.occurred_at < f.occurred_at)`,
      [roomId, at, JSON.stringify(agent)],
    );
  }

  /** Appends to the history; false when an event with this key is already there. */
  async appendEvent(
    em: EntityManager,
    room: Pick<RoomEntity, 'id'>,
    type: RoomHistoryEntity['type'],
    data: Record<string, unknown>,
    occurredAt: Date,
    dedupeKey: string,
  ): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO room_history (room_id, type, data, occurred_at, dedupe_key) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [room.id, type, JSON.stringify(data), occurredAt, dedupeKey.slice(0, 200)],
    );
    return rows.length > 0;
  }
}

function changed(room: RoomEntity, patch: RoomPatch): RoomPatch {
  const out: RoomPatch = {};
  for (const [k, v] of Object.entries(patch) as Array<[keyof RoomPatch, unknown]>) {
    const current = room[k];
    const same =
      current instanceof Date && v instanceof Date
        ? current.getTime() === v.getTime()
        : Array.isArray(current) && Array.isArray(v)
          ? current.length === v.length && current.every((x, i) => x === v[i])
          : current === v;
    if (!same) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/**
 * The dedupe key of a lifecycle event: the same fact learnt twice (a webhook redelivery, or the
 * webhook after omnigate's own API call) gets the same key. A room closes once.
 */
export function lifecycleKey(rocketchatRoomId: string, event: LifecycleEvent): string {
  switch (event.type) {
    // Rocket.Chat's Start and Queued (also the Queued that follows a forward to a department with
    // nobody online) all date the wait from the room's creation: one fact, one event, whatever order
    case 'queued':
      return `queued:${rocketchatRoomId}:${event.occurredAt.toISOString()}`;
    case 'taken':
      return `taken:${rocketchatRoomId}:${event.agent.id}:${event.occurredAt.toISOString()}`;
    // only what Rocket.Chat's payload itself says: a department forward's previous agent is filled
    // in from omnigate's history, which depends on what arrived first
    case 'forwarded':
      return event.to === 'agent'
        ? `forwarded:${rocketchatRoomId}:agent:${event.from.agent?.id ?? ''}>${event.agent?.id ?? ''}:${event.departmentId ?? ''}`
        : `forwarded:${rocketchatRoomId}:department:${event.from.departmentId ?? ''}>${event.departmentId ?? ''}:${event.agent?.id ?? ''}`;
    case 'closed':
      return `closed:${rocketchatRoomId}`;
    case 'edited':
      return `edited:${rocketchatRoomId}:${event.occurredAt.toISOString()}:${(event.tags ?? []).join(',')}:${event.comment ?? ''}`;
  }
}
