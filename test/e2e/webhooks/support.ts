import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { startTestApp, type TestApp } from '../../support/test-app';

export const WEBHOOK_TOKEN = 'wh-secret-0123456789abcdef';
export const RID = '9kRtHqYwXcPm3aZbE';

/** The fixture conversation in story order: start → queued → taken → messages → forwarded → close. */
export const STORY = [
  'LivechatSessionStart',
  'LivechatSessionQueued',
  'LivechatSessionTaken',
  'Message-visitor',
  'Message-agent',
  'LivechatSessionForwarded',
  'LivechatSession-close-by-agent',
] as const;

export type Fixture = Record<string, unknown>;

/** A fresh copy each call: tests never share a mutable fixture. */
export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/rocketchat', `webhook-${name}.json`), 'utf8')) as Fixture;
}

export function postWebhook(t: TestApp, body: unknown, token: string | null = WEBHOOK_TOKEN) {
  const req = t.http.post('/webhooks/rocketchat').set('content-type', 'application/json');
  if (token !== null) req.set('X-RocketChat-Livechat-Token', token);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Deterministic shuffle (mulberry32), so a failing order can be replayed from its seed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function count(db: Client, table: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

/**
 * What a conversation left in omnigate's tables, without generated ids and wall-clock columns:
 * equal snapshots mean the same final state.
 */
export async function snapshot(db: Client) {
  const rooms = await db.query(
    `SELECT rocketchat_room_id, status, agent_id, agent_username, agent_name, department_id, opened_at, queued_at, served_at,
            closed_at, closed_by, closer_id, closer_username, close_comment, tags, last_message_at, message_count, state_at
       FROM rooms ORDER BY rocketchat_room_id`,
  );
  const events = await db.query(`SELECT type, data, occurred_at, dedupe_key FROM room_history ORDER BY dedupe_key`);
  const messages = await db.query(
    `SELECT rocketchat_message_id, author_type, author_id, author_username, author_name, text, attachments, system_type, sent_at, edited_at
       FROM messages ORDER BY sent_at, rocketchat_message_id`,
  );
  const visitors = await db.query(`SELECT token, rocketchat_id, username, name, email, phone, department, custom_fields FROM visitors ORDER BY token`);
  return { rooms: rooms.rows, events: events.rows, messages: messages.rows, visitors: visitors.rows };
}

/** Empties the conversation tables (and whatever references them, e.g. delivery jobs) between scenarios. */
export async function resetConversations(db: Client): Promise<void> {
  await db.query('TRUNCATE webhook_receipts, room_history, messages, rooms, visitors, offline_messages CASCADE');
}

/**
 * The gateway alone (no Rocket.Chat: webhooks are posted to it directly) on a fresh database, for
 * the calling describe block; `reset` empties the conversation tables before each test. Read the
 * app as `gateway.t` once the block runs.
 */
export function webhookGateway(options: { reset?: boolean } = {}): { readonly t: TestApp } {
  const gateway = {} as { t: TestApp };
  beforeAll(async () => {
    gateway.t = await startTestApp({ ROCKETCHAT_WEBHOOK_TOKEN: WEBHOOK_TOKEN });
  });
  afterAll(async () => gateway.t?.close());
  if (options.reset ?? true) beforeEach(() => resetConversations(gateway.t.db));
  return gateway;
}
