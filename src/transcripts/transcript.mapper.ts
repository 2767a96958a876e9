import { TranscriptAgentDto, TranscriptDepartmentDto, TranscriptEventDto, TranscriptMessageDto, TranscriptRoomDto, TranscriptVisitorDto } from './dto/transcript.dto';

/** Row shapes of the transcript queries (column names as in SQL). */
export interface RoomRow {
  id: string;
  rocketchat_room_id: string;
  status: string;
  department_id: string | null;
  agent_id: string | null;
  agent_username: string | null;
  agent_name: string | null;
  opened_at: Date;
  served_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  close_comment: string | null;
  tags: string[];
  visitor_id: string;
  visitor_token: string;
  visitor_name: string | null;
  visitor_erased_at: Date | null;
  /** names of the departments the room and its events refer to, those omnigate knows */
  department_names: Record<string, string>;
}

export interface EventRow {
  type: string;
  occurred_at: Date;
  data: Record<string, unknown>;
}

export interface LineRow {
  message_id: string;
  rocketchat_message_id: string;
  author_type: string;
  author_id: string | null;
  author_username: string | null;
  author_display_name: string;
  text: string;
  system_type: string | null;
  attachments: Array<Record<string, unknown>>;
  sent_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toRoomDto(r: RoomRow): TranscriptRoomDto {
  return {
    id: r.id,
    rocketchatRoomId: r.rocketchat_room_id,
    status: r.status,
    departmentId: r.department_id,
    openedAt: r.opened_at.toISOString(),
    servedAt: iso(r.served_at),
    closedAt: iso(r.closed_at),
    closedBy: r.closed_by,
    closeComment: r.close_comment,
    tags: r.tags,
  };
}

export function toVisitorDto(r: RoomRow): TranscriptVisitorDto {
  return { id: r.visitor_id, token: r.visitor_token, name: r.visitor_name, erasedAt: iso(r.visitor_erased_at) };
}

export function toEventDto(e: EventRow): TranscriptEventDto {
  return { type: e.type, occurredAt: e.occurred_at.toISOString(), data: e.data };
}

export function toMessageDto(m: LineRow): TranscriptMessageDto {
  return {
    id: m.message_id,
    rocketchatMessageId: m.rocketchat_message_id,
    authorType: m.author_type,
    authorId: m.author_id,
    authorName: m.author_display_name,
    // deleted by the visitor: shown as deleted (PostgreSQL keeps the text for audit)
    text: m.deleted_at ? '' : m.text,
    systemType: m.system_type,
    attachments: m.deleted_at ? [] : m.attachments,
    sentAt: m.sent_at.toISOString(),
    editedAt: iso(m.edited_at),
    deletedAt: iso(m.deleted_at),
  };
}

function asAgent(value: unknown): TranscriptAgentDto | null {
  if (!value || typeof value !== 'object') return null;
  const a = value as Record<string, unknown>;
  if (typeof a.id !== 'string' || !a.id) return null;
  const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
  return { id: a.id, username: text(a.username), name: text(a.name) };
}

/**
 * Every agent who took the room, had it forwarded to them, wrote in it or holds it now, in order
 * of first involvement; later sightings only fill a missing name.
 */
export function agentsInvolved(room: RoomRow, events: EventRow[], lines: LineRow[]): TranscriptAgentDto[] {
  const seen: Array<{ at: number; agent: TranscriptAgentDto }> = [];
  const add = (agent: TranscriptAgentDto | null, at: Date): void => {
    if (!agent) return;
    const known = seen.find((s) => s.agent.id === agent.id);
    if (!known) return void seen.push({ at: at.getTime(), agent });
    known.at = Math.min(known.at, at.getTime());
    known.agent.username ??= agent.username;
    known.agent.name ??= agent.name;
  };
  for (const e of events) {
    if (e.type === 'taken') add(asAgent(e.data.agent), e.occurred_at);
    if (e.type === 'forwarded') {
      const to = e.data.to as Record<string, unknown> | undefined;
      const from = e.data.from as Record<string, unknown> | undefined;
      add(asAgent(from?.agent), e.occurred_at);
      add(asAgent(to?.agent), e.occurred_at);
    }
  }
  for (const m of lines) {
    if (m.author_type === 'agent' && m.author_id) {
      add({ id: m.author_id, username: m.author_username, name: m.author_display_name === 'Agent' ? null : m.author_display_name }, m.sent_at);
    }
  }
  if (room.agent_id) add({ id: room.agent_id, username: room.agent_username, name: room.agent_name }, room.served_at ?? room.opened_at);
  return seen.sort((a, b) => a.at - b.at).map((s) => s.agent);
}

const departmentIdsOf = (e: EventRow): unknown[] => {
  const side = (key: string): unknown => (e.data[key] as Record<string, unknown> | undefined)?.departmentId;
  return [e.data.departmentId, side('from'), side('to')];
};

/** Every department the room's events name, then its current one, in order of first appearance; names where known. */
export function departmentsInvolved(room: RoomRow, events: EventRow[]): TranscriptDepartmentDto[] {
  const ids = [...events.flatMap(departmentIdsOf), room.department_id].filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids)].map((id) => ({ id, name: room.department_names[id] ?? null }));
}

export function toDepartmentDto(room: RoomRow): TranscriptDepartmentDto | null {
  return room.department_id ? { id: room.department_id, name: room.department_names[room.department_id] ?? null } : null;
}
