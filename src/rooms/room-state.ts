import type { RoomEventType } from './room-history.entity';
import type { ClosedBy, RoomEntity, RoomStatus } from './room.entity';

export interface AgentRef {
  id: string;
  username?: string | null;
  name?: string | null;
}

/** A lifecycle fact about a room, whichever side (webhook, API answer, reconciliation) learnt it. */
export type LifecycleEvent =
  | { type: 'queued'; occurredAt: Date; departmentId?: string | null }
  | { type: 'taken'; occurredAt: Date; agent: AgentRef; departmentId?: string | null }
  | {
      type: 'forwarded';
      occurredAt: Date;
      /**
       * to an agent (Rocket.Chat names the previous one: `oldServedBy`) or to a department (it
       * names the previous department only: who served before comes from omnigate's own history)
       */
      to: 'agent' | 'department';
      agent?: AgentRef | null;
      departmentId?: string | null;
      from: { agent?: AgentRef | null; departmentId?: string | null };
    }
  | {
      type: 'closed';
      occurredAt: Date;
      closedBy: ClosedBy;
      closer?: AgentRef | null;
      /** the agent serving when the room closed (the close webhook's servedBy) */
      agent?: AgentRef | null;
      /** the room's department when it closed */
      departmentId?: string | null;
      comment?: string | null;
      tags?: string[];
      /**
       * omnigate learnt the room was gone from Rocket.Chat's refusal (`room-closed`: closed there
       * without omnigate hearing of it; `invalid-room`: Rocket.Chat lost it), not from a close event
       */
      lost?: LostReason;
    }
  | { type: 'edited'; occurredAt: Date; tags?: string[]; comment?: string | null };

export type LostReason = 'room-closed' | 'invalid-room';

export type RoomPatch = Partial<
  Pick<
    RoomEntity,
    | 'status'
    | 'agentId'
    | 'agentUsername'
    | 'agentName'
    | 'departmentId'
    | 'queuedAt'
    | 'servedAt'
    | 'closedAt'
    | 'closedBy'
    | 'closerId'
    | 'closerUsername'
    | 'closeComment'
    | 'tags'
    | 'stateAt'
  >
>;

export const EVENT_TYPE: Record<LifecycleEvent['type'], RoomEventType> = {
  queued: 'queued',
  taken: 'taken',
  forwarded: 'forwarded',
  closed: 'closed',
  edited: 'edited',
};

/** The first time an agent served: the earliest taken/forwarded-to-agent time learnt, in any order. */
function earliestServedAt(room: Pick<RoomEntity, 'servedAt'>, at: Date): RoomPatch {
  return !room.servedAt || at.getTime() < room.servedAt.getTime() ? { servedAt: at } : {};
}

function agentPatch(agent: AgentRef | null | undefined): RoomPatch {
  return agent
    ? { agentId: agent.id, agentUsername: agent.username ?? null, agentName: agent.name ?? null }
    : { agentId: null, agentUsername: null, agentName: null };
}

/**
 * The room lifecycle as a pure function: what an event changes on a room. Events may arrive late or
 * twice: `closed` is final, an event older than the room's newest applied state only fills gaps
 * (a missing served_at) and never overwrites newer state.
 */
export function applyLifecycle(room: Pick<RoomEntity, keyof RoomPatch>, event: LifecycleEvent): RoomPatch {
  const newer = event.occurredAt.getTime() >= room.stateAt.getTime();
  const closed = room.status === 'closed';

  switch (event.type) {
    case 'queued': {
      const patch: RoomPatch = room.queuedAt ? {} : { queuedAt: event.occurredAt };
      if (closed || !newer) return patch;
      return { ...patch, status: 'queued', ...agentPatch(null), departmentId: event.departmentId ?? room.departmentId, stateAt: event.occurredAt };
    }
    case 'taken': {
      const patch = earliestServedAt(room, event.occurredAt);
      if (closed || !newer) return patch;
      return { ...patch, status: 'open', ...agentPatch(event.agent), departmentId: event.departmentId ?? room.departmentId, stateAt: event.occurredAt };
    }
    case 'forwarded': {
      const served = event.agent ? earliestServedAt(room, event.occurredAt) : {};
      if (closed || !newer) return served;
      const status: RoomStatus = event.agent ? 'open' : 'queued';
      return { ...served, status, ...agentPatch(event.agent), departmentId: event.departmentId ?? room.departmentId, stateAt: event.occurredAt };
    }
    case 'closed': {
      if (closed) {
        // a second word on a closed room (the webhook after our own close) may only add what we lacked
        return {
          ...(room.agentId || !event.agent ? {} : agentPatch(event.agent)),
          ...(room.departmentId || !event.departmentId ? {} : { departmentId: event.departmentId }),
          ...(room.closerId || !event.closer ? {} : { closerId: event.closer.id, closerUsername: event.closer.username ?? null }),
          ...(room.closeComment || !event.comment ? {} : { closeComment: event.comment }),
          ...(event.tags?.length && !room.tags.length ? { tags: event.tags } : {}),
        };
      }
      return {
        ...(event.agent ? agentPatch(event.agent) : {}),
        ...(event.departmentId ? { departmentId: event.departmentId } : {}),
        status: 'closed',
        closedAt: event.occurredAt,
        closedBy: event.closedBy,
        closerId: event.closer?.id ?? null,
        closerUsername: event.closer?.username ?? null,
        closeComment: event.comment ?? null,
        ...(event.tags ? { tags: event.tags } : {}),
        stateAt: event.occurredAt > room.stateAt ? event.occurredAt : room.stateAt,
      };
    }
    case 'edited':
      return { ...(event.tags ? { tags: event.tags } : {}), ...(event.comment !== undefined && event.comment !== null ? { closeComment: event.comment } : {}) };
  }
}

/** The data kept in room_history for an event (what an analyst reads in the history). */
export function eventData(room: Pick<RoomEntity, 'agentId' | 'agentUsername' | 'departmentId'>, event: LifecycleEvent): Record<string, unknown> {
  switch (event.type) {
    case 'queued':
      // the department depends on which of the queued notices came first: the room row has it
      return {};
    case 'taken':
      return { agent: event.agent, departmentId: event.departmentId ?? null };
    case 'forwarded':
      return {
        // a department forward's previous agent is omnigate's record, not Rocket.Chat's word
        from: { ...event.from, ...(event.to === 'department' ? { agentFrom: 'omnigate' } : {}) },
        to: { agent: event.agent ?? null, departmentId: event.departmentId ?? null },
      };
    case 'closed':
      return {
        closedBy: event.closedBy,
        closer: event.closer ?? null,
        comment: event.comment ?? null,
        tags: event.tags ?? [],
        // why omnigate recorded a close nobody announced: Rocket.Chat's own reason
        ...(event.lost ? { lostInRocketChat: event.lost } : {}),
      };
    case 'edited':
      return { tags: event.tags ?? null, comment: event.comment ?? null };
  }
}
