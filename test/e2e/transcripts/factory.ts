import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';

export interface Agent {
  id: string;
  username: string;
  name: string;
}

/** One step of a scripted conversation; `at` is an ISO-8601 UTC time. */
export type Step =
  | { at: string; queued: true; departmentId?: string }
  | { at: string; taken: Agent }
  | { at: string; forwarded: { to: Agent | null; departmentId?: string } }
  | { at: string; closed: 'visitor' | 'agent' | 'system'; comment?: string; tags?: string[] }
  | { at: string; visitor: string; deliveryStatus?: 'pending' | 'sent' | 'failed' }
  | { at: string; agent: Agent; text: string; attachments?: Array<Record<string, unknown>> }
  | { at: string; bot: string }
  | { at: string; system: string; systemType: string };

export interface ConversationScript {
  /** fixed ids make golden files possible; a room id ending in 000000000000 also fixes message ids */
  roomId?: string;
  rocketchatRoomId?: string;
  visitor: { token: string; name: string | null; erased?: boolean };
  departmentId?: string;
  openedAt: string;
  steps: Step[];
}

export interface Conversation {
  roomId: string;
  rocketchatRoomId: string;
  visitorId: string;
  messageIds: string[];
}

interface RoomState {
  status: 'queued' | 'open' | 'closed';
  agent: Agent | null;
  departmentId: string | null;
  servedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  closer: Agent | null;
  comment: string | null;
  tags: string[];
}

/**
 * Writes a conversation as the webhook handlers would have stored it (rooms row in its final state,
 * room_history history, messages), with plain SQL: the transcripts tests do not depend on ingestion.
 */
export async function createConversation(db: Client, script: ConversationScript): Promise<Conversation> {
  const roomId = script.roomId ?? randomUUID();
  const rid = script.rocketchatRoomId ?? `R${roomId.replace(/-/g, '').slice(0, 16)}`;
  const visitorId = await upsertVisitor(db, script.visitor);
  const history = await historyTable(db);
  const state = replay(script);
  const visible = script.steps.filter((s) => !('visitor' in s && s.deliveryStatus === 'failed'));
  const lastMessageAt = [...visible].reverse().find((s) => 'visitor' in s || 'agent' in s || 'bot' in s || 'system' in s)?.at ?? null;
  await db.query(
    `INSERT INTO rooms (id, rocketchat_room_id, visitor_id, status, agent_id, agent_username, agent_name, department_id,
                        opened_at, queued_at, served_at, closed_at, closed_by, closer_id, closer_username, close_comment,
                        tags, last_message_at, message_count, state_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $9)`,
    [
      roomId, rid, visitorId, state.status, state.agent?.id ?? null, state.agent?.username ?? null, state.agent?.name ?? null,
      state.departmentId, script.openedAt, script.steps.find((s) => 'queued' in s)?.at ?? null, state.servedAt, state.closedAt,
      state.closedBy, state.closer?.id ?? null, state.closer?.username ?? null, state.comment, state.tags, lastMessageAt,
      script.steps.filter((s) => !('queued' in s || 'taken' in s || 'forwarded' in s || 'closed' in s)).length,
    ],
  );
  await event(db, history, roomId, 'started', { departmentId: script.departmentId ?? null }, script.openedAt, `started:${rid}`);

  const messageIds: string[] = [];
  let current: { agent: Agent | null; departmentId: string | null } = { agent: null, departmentId: script.departmentId ?? null };
  for (const [i, s] of script.steps.entries()) {
    const key = `${rid}:${i}`;
    if ('queued' in s) await event(db, history, roomId, 'queued', { departmentId: s.departmentId ?? current.departmentId }, s.at, key);
    else if ('taken' in s) {
      await event(db, history, roomId, 'taken', { agent: s.taken, departmentId: current.departmentId }, s.at, key);
      current = { ...current, agent: s.taken };
    } else if ('forwarded' in s) {
      const to = { agent: s.forwarded.to, departmentId: s.forwarded.departmentId ?? current.departmentId };
      await event(db, history, roomId, 'forwarded', { from: current, to }, s.at, key);
      current = to;
    } else if ('closed' in s) {
      const closer = s.closed === 'agent' ? current.agent : null;
      await event(db, history, roomId, 'closed', { closedBy: s.closed, closer, comment: s.comment ?? null, tags: s.tags ?? [] }, s.at, key);
    } else {
      const id = script.roomId?.endsWith('000000000000') ? `${roomId.slice(0, 24)}${(messageIds.length + 1).toString(16).padStart(12, '0')}` : randomUUID();
      messageIds.push(id);
      await message(db, roomId, id, `${rid}-m${i}`, s, script.visitor.erased ? null : script.visitor.name);
    }
  }
  return { roomId, rocketchatRoomId: rid, visitorId, messageIds };
}

/** The room's final state, as RoomStore's lifecycle rules would leave it. */
function replay(script: ConversationScript): RoomState {
  const st: RoomState = { status: 'queued', agent: null, departmentId: script.departmentId ?? null, servedAt: null, closedAt: null, closedBy: null, closer: null, comment: null, tags: [] };
  for (const s of script.steps) {
    if ('taken' in s) Object.assign(st, { status: 'open', agent: s.taken, servedAt: st.servedAt ?? s.at });
    if ('forwarded' in s) {
      Object.assign(st, { status: s.forwarded.to ? 'open' : 'queued', agent: s.forwarded.to, departmentId: s.forwarded.departmentId ?? st.departmentId });
      if (s.forwarded.to) st.servedAt ??= s.at;
    }
    if ('closed' in s) {
      Object.assign(st, { status: 'closed', closedAt: s.at, closedBy: s.closed, closer: s.closed === 'agent' ? st.agent : null, comment: s.comment ?? null, tags: s.tags ?? [] });
    }
  }
  return st;
}

async function upsertVisitor(db: Client, v: ConversationScript['visitor']): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO visitors (token, name, erased_at) VALUES ($1, $2, $3)
     ON CONFLICT (token) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [v.token, v.erased ? null : v.name, v.erased ? '2026-12-01T00:00:00Z' : null],
  );
  return rows[0].id;
}

/** The rooms' history table: a test that undid the migrations seeds the schema of before OneWordPerTable. */
async function historyTable(db: Client): Promise<string> {
  return (await db.query(`SELECT coalesce(to_regclass('room_history')::text, 'room_events') AS table`)).rows[0].table as string;
}

async function event(db: Client, table: string, roomId: string, type: string, data: unknown, at: string, key: string): Promise<void> {
  await db.query(`INSERT INTO ${table} (room_id, type, data, occurred_at, dedupe_key) VALUES ($1, $2, $3, $4, $5)`, [roomId, type, JSON.stringify(data), at, `${type}:${key}`]);
}

async function message(db: Client, roomId: string, id: string, rcId: string, s: Step, visitorName: string | null): Promise<void> {
  const [authorType, author, text, systemType, delivery] =
    'visitor' in s
      ? (['visitor', { id: null, username: null, name: visitorName }, s.visitor, null, s.deliveryStatus ?? 'sent'] as const)
      : 'agent' in s
        ? (['agent', s.agent, s.text, null, null] as const)
        : 'bot' in s
          ? (['bot', { id: 'bot-1', username: 'helper.bot', name: 'Helper Bot' }, s.bot, null, null] as const)
          : 'system' in s
            ? (['system', { id: null, username: null, name: null }, s.system, s.systemType, null] as const)
            : (() => {
                throw new Error('not a message step');
              })();
  await db.query(
    `INSERT INTO messages (id, rocketchat_message_id, room_id, author_type, author_id, author_username, author_name, text, attachments, system_type, sent_at, delivery_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [id, rcId, roomId, authorType, author.id, author.username, author.name, text, JSON.stringify('attachments' in s ? s.attachments ?? [] : []), systemType, s.at, delivery],
  );
}

/** A department as the department sync would have stored it from Rocket.Chat's `livechat/config`. */
export async function createDepartment(db: Client, department: { id: string; name: string }): Promise<void> {
  await db.query(`INSERT INTO departments (id, name, listed_at) VALUES ($1, $2, now())`, [department.id, department.name]);
}
