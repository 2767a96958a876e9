import fc from 'fast-check';
import type { Client } from 'pg';
import type { Response } from 'supertest';
import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { startTestApp, TestApp } from '../support/test-app';

/** Every table a request could write to; a 4xx must leave all of them as they were. */
export const TABLES = ['visitors', 'rooms', 'messages', 'room_history', 'webhook_receipts', 'offline_messages', 'api_keys', 'idempotency_keys', 'room_surveys'] as const;
export type Table = (typeof TABLES)[number];
export type RowCounts = Record<Table, number>;

export const WEBHOOK_TOKEN = 'fuzz-webhook-secret-0123456789';

export async function rowCounts(db: Client): Promise<RowCounts> {
  const { rows } = await db.query<Record<Table, string>>(`SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`);
  return Object.fromEntries(TABLES.map((t) => [t, Number(rows[0]![t])])) as RowCounts;
}

export function delta(before: RowCounts, after: RowCounts): Partial<RowCounts> {
  const d: Partial<RowCounts> = {};
  for (const t of TABLES) if (after[t] !== before[t]) d[t] = after[t] - before[t];
  return d;
}

/** Tables that must still exist after an injection attempt (to_regclass is null for a dropped one). */
export async function missingTables(db: Client): Promise<string[]> {
  const { rows } = await db.query<{ t: string; c: string | null }>(`SELECT t, to_regclass('public.' || t)::text AS c FROM unnest($1::text[]) AS t`, [TABLES]);
  return rows.filter((r) => r.c === null).map((r) => r.t);
}

export interface Exchange {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function send(t: TestApp, ex: Exchange): Promise<Response> {
  const method = ex.method.toLowerCase() as 'get' | 'post' | 'delete' | 'put' | 'patch';
  let req = t.http[method](ex.path);
  for (const [k, v] of Object.entries(ex.headers ?? {})) req = req.set(k, v);
  return ex.body === undefined ? req : req.send(ex.body);
}

const ERROR_KEYS = ['details', 'error', 'message', 'statusCode'];

/** Why this answer breaks the error contract, or null. */
export function errorShapeProblem(res: Response): string | null {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return `error body is not JSON (content-type ${String(res.headers['content-type'])})`;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'error body is not an object';
  const b = body as Record<string, unknown>;
  const keys = Object.keys(b).sort();
  if (!keys.every((k) => ERROR_KEYS.includes(k))) return `unexpected keys ${JSON.stringify(keys)}`;
  if (b.statusCode !== res.status) return `statusCode ${String(b.statusCode)} differs from HTTP ${res.status}`;
  if (typeof b.error !== 'string' || b.error.length === 0) return 'error is not a non-empty string';
  if (typeof b.message !== 'string') return 'message is not a string';
  if ('details' in b && b.details === undefined) return 'details present but undefined';
  return null;
}

function preview(v: unknown, max = 300): string {
  const s = Buffer.isBuffer(v) ? `<${v.length} bytes> ${v.toString('latin1')}` : typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
}

export function describeExchange(ex: Exchange, res?: Response): string {
  const lines = [`${ex.method} ${preview(ex.path, 200)}`];
  for (const [k, v] of Object.entries(ex.headers ?? {})) lines.push(`${k}: ${preview(v, 120)}`);
  if (ex.body !== undefined) lines.push(`body: ${preview(ex.body)}`);
  if (res) lines.push(`→ ${res.status} ${preview(res.text)}`);
  return lines.join('\n  ');
}

/**
 * What a request may leave in the tables. Default: anything on 2xx/3xx, nothing on 4xx. Return
 * an exact delta to demand exactly that, or 'any'.
 */
export type RowRule = (res: Response) => Partial<RowCounts> | 'any';
export const nothingOn4xx: RowRule = (res) => (res.status >= 400 ? {} : 'any');

/**
 * Sends one request and checks the invariants every request must keep: never a 5xx, the shared
 * error shape on every 4xx, and the row rule. Throws with the request when one breaks.
 */
export async function sendChecked(t: TestApp, ex: Exchange, rule: RowRule = nothingOn4xx): Promise<Response> {
  const before = await rowCounts(t.db);
  let res: Response;
  try {
    res = await send(t, ex);
  } catch (error) {
    throw new Error(`request failed without an answer (${(error as Error).message})\n  ${describeExchange(ex)}`);
  }
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`answered ${res.status}`);
  if (res.status >= 400) {
    const shape = errorShapeProblem(res);
    if (shape) problems.push(`error shape: ${shape}`);
  }
  const expected = rule(res);
  if (expected !== 'any') {
    const got = delta(before, await rowCounts(t.db));
    if (JSON.stringify(sorted(got)) !== JSON.stringify(sorted(expected))) {
      problems.push(`rows changed by ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    }
  }
  if (problems.length) throw new Error(`${problems.join('; ')}\n  ${describeExchange(ex, res)}`);
  return res;
}

function sorted(d: Partial<RowCounts>): Array<[string, number]> {
  return Object.entries(d)
    .filter(([, n]) => n !== 0)
    .sort(([a], [b]) => a.localeCompare(b));
}

export interface Seed {
  visitorToken: string;
  roomId: string;
  rocketchatRoomId: string;
  /** Authorization values: a chat:write-only key, a transcripts:read-only key, a revoked key */
  chatKey: string;
  readKey: string;
  revokedKey: string;
  /** a key that may be revoked by the fuzzer without harm */
  spareKeyId: string;
}

export interface FuzzApp {
  t: TestApp;
  sim: RocketChatSimulator;
  seed: Seed;
  close(): Promise<void>;
}

let seedCounter = 0;

/** The one message of the seeded room: no word of it occurs in an injection string. */
export const SEED_TEXT = 'Pedido atrasado, por favor verifique';

/** The real gateway on a fresh database and a simulator, with a visitor, an open room and keys. */
export async function startFuzzApp(env: Record<string, string> = {}): Promise<FuzzApp> {
  const sim = await RocketChatSimulator.start({ rateLimit: false });
  const t = await startTestApp({ ROCKETCHAT_URL: sim.url, ROCKETCHAT_TIMEOUT_MS: '2000', ROCKETCHAT_WEBHOOK_TOKEN: WEBHOOK_TOKEN, ...env });
  const n = ++seedCounter;
  const post = (path: string, body: object) => t.http.post(path).set('Authorization', t.admin).send(body);
  const key = async (name: string, scopes: string[]) => (await post('/v1/api-keys', { name, scopes }).expect(201)).body as { id: string; secret: string };
  const visitorToken = `fuzz-visitor-${process.pid}-${n}`;
  await post('/v1/visitors', { token: visitorToken, name: 'Fuzz Visitor', email: 'fuzz.visitor@example.com', phone: '+5511987654321' }).expect(201);
  const room = (await post('/v1/rooms', { visitorToken }).expect(201)).body as { id: string; rocketchatRoomId: string };
  await post(`/v1/rooms/${room.id}/messages`, { text: SEED_TEXT }).expect(201);
  const chat = await key('fuzz-chat', ['chat:write']);
  const read = await key('fuzz-read', ['transcripts:read']);
  const revoked = await key('fuzz-revoked', ['admin']);
  await t.http.delete(`/v1/api-keys/${revoked.id}`).set('Authorization', t.admin).expect(200);
  const spare = await key('fuzz-spare', ['chat:write']);
  return {
    t,
    sim,
    seed: {
      visitorToken,
      roomId: room.id,
      rocketchatRoomId: room.rocketchatRoomId,
      chatKey: `Bearer ${chat.secret}`,
      readKey: `Bearer ${read.secret}`,
      revokedKey: `Bearer ${revoked.secret}`,
      spareKeyId: spare.id,
    },
    close: async () => {
      await t.close();
      await sim.stop();
    },
  };
}

/**
 * fc.assert with a short failure message: the seed and path to replay it, and the broken
 * invariant with the request (a shrunk counterexample can still be a 100 kB body).
 */
export async function assertProperty<T>(property: fc.IAsyncPropertyWithHooks<T>, numRuns: number): Promise<void> {
  const out = await fc.check(property, { numRuns });
  if (!out.failed) return;
  const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
  throw new Error(`property failed after ${out.numRuns} runs (replay: { seed: ${out.seed}, path: "${out.counterexamplePath}" })\n${cause}`);
}
