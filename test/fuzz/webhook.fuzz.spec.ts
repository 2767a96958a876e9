import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentType, deepNesting, headerValueOf, jsonBody, jsonTree, nastyString, toJsonText } from './arbitraries';
import { assertProperty, delta, describeExchange, Exchange, FuzzApp, rowCounts, sendChecked, startFuzzApp, WEBHOOK_TOKEN } from './harness';

jest.setTimeout(120_000);

const RUNS = { body: 250, nested: 150, token: 100, deep: 30 };
const FIXTURES_DIR = join(__dirname, '../fixtures/rocketchat');
const KNOWN_TYPES = [
  'LivechatSessionStart',
  'LivechatSessionQueued',
  'LivechatSessionTaken',
  'LivechatSessionForwarded',
  'Message',
  'LivechatSession',
  'LivechatEdit',
  'LeadCapture',
  'LivechatOfflineMessage',
];

const fixtures: Array<Record<string, unknown>> = readdirSync(FIXTURES_DIR)
  .filter((f) => f.startsWith('webhook-') && f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(FIXTURES_DIR, f), 'utf8')) as Record<string, unknown>);

/** A real event with fresh room and message ids (so most apply), or one of a type omnigate does not know. */
const event: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...fixtures), fc.stringMatching(/^[A-Za-z0-9]{17}$/), fc.uuid(), fc.constantFrom(...KNOWN_TYPES)).map(([fx, rid, mid, type]) => {
      const e = structuredClone(fx);
      if (typeof e._id === 'string') e._id = rid;
      if (Array.isArray(e.messages)) e.messages = (e.messages as Array<Record<string, unknown>>).map((m, i) => ({ ...m, _id: `${mid}-${i}`.slice(0, 64) }));
      if (type === 'LivechatEdit' || type === 'LeadCapture') e.type = type;
      return e;
    }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...fixtures), fc.oneof(fc.constantFrom('AgentStatus', 'LivechatSessionClosed', 'message', ''), nastyString)).map(([fx, type]) => ({ ...structuredClone(fx), type })) },
);

/** Replaces one value deep inside an event (visitor.token, messages[0].msg, …) with hostile JSON. */
const nestedMutation: fc.Arbitrary<string> = fc
  .tuple(
    event,
    fc.constantFrom('visitor', 'visitor.token', 'visitor.email', 'visitor.phone', 'visitor.customFields', 'messages', 'messages.0', 'messages.0._id', 'messages.0.msg', 'messages.0.ts', 'messages.0.u', 'messages.0.attachments', 'messages.0.file', 'agent', 'agent._id', 'servedBy.ts', 'tags', 'createdAt', 'closedAt', 'departmentId', 'message', '_id', 'type'),
    jsonTree,
  )
  .map(([e, path, value]) => {
    const marker = '\u0001PLACEHOLDER\u0001';
    const keys = path.split('.');
    let at: Record<string, unknown> = e;
    for (const k of keys.slice(0, -1)) {
      if (typeof at[k] !== 'object' || at[k] === null) at[k] = {};
      at = at[k] as Record<string, unknown>;
    }
    at[keys[keys.length - 1]!] = marker;
    return JSON.stringify(e).replace(JSON.stringify(marker), () => toJsonText(value));
  });

const tokenHeader: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(WEBHOOK_TOKEN) },
  { weight: 1, arbitrary: fc.constantFrom(null, '', ' ', WEBHOOK_TOKEN.slice(0, -1), `${WEBHOOK_TOKEN}x`, WEBHOOK_TOKEN.toUpperCase(), ` ${WEBHOOK_TOKEN}`, `Bearer ${WEBHOOK_TOKEN}`, 'x'.repeat(5000)) },
  { weight: 1, arbitrary: headerValueOf(40) },
);

const POLLUTION = /"(__proto__|constructor)"/;

function parsedObject(body: string | Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

describe('fuzzing POST /webhooks/rocketchat', () => {
  let f: FuzzApp;

  beforeAll(async () => {
    f = await startFuzzApp();
  });
  afterAll(async () => f?.close());

  /**
   * Beyond the shared invariants: a 4xx stores nothing, except exactly one `rejected` delivery
   * for a known event type missing its essentials; an unknown type stores exactly one `ignored`
   * delivery and answers 200.
   */
  async function deliver(body: string | Buffer, token: string | null, type = 'application/json'): Promise<void> {
    const headers: Record<string, string> = { 'Content-Type': type };
    if (token !== null) headers['X-RocketChat-Livechat-Token'] = token;
    const ex: Exchange = { method: 'POST', path: '/webhooks/rocketchat', headers, body };
    const before = await rowCounts(f.t.db);
    const res = await sendChecked(f.t, ex, () => 'any');
    const got = delta(before, await rowCounts(f.t.db));
    const [last] = (await f.t.db.query<{ outcome: string; event_type: string | null }>('SELECT outcome, event_type FROM webhook_receipts ORDER BY id DESC LIMIT 1')).rows;
    const obj = parsedObject(body);
    // HTTP drops a header value's surrounding spaces and tabs (RFC 9110 §5.5)
    const authorised = token?.replace(/^[ \t]+|[ \t]+$/g, '') === WEBHOOK_TOKEN;
    const jsonType = /^application\/json\s*(;|$)/i.test(type);
    const eventType = typeof obj?.type === 'string' ? obj.type.slice(0, 64) : null;
    const known = eventType !== null && KNOWN_TYPES.includes(eventType);
    const problems: string[] = [];
    const only = (outcome: string) => JSON.stringify(got) === JSON.stringify({ webhook_receipts: 1 }) && last?.outcome === outcome;

    if (!authorised && res.status < 400) problems.push('accepted without the right token');
    if (res.status >= 400) {
      const storedRejected = only('rejected') && last?.event_type !== null && KNOWN_TYPES.includes(last!.event_type!);
      if (!(Object.keys(got).length === 0 || (res.status === 400 && storedRejected))) problems.push(`a ${res.status} changed rows by ${JSON.stringify(got)} (last outcome ${last?.outcome})`);
      // the model: an authorised JSON object of a known type refused with 400 is kept as rejected
      if (res.status === 400 && authorised && jsonType && obj && known && !POLLUTION.test(ex.body!.toString()) && !storedRejected) problems.push('a known event refused with 400 was not kept as rejected');
    } else if (res.status === 200 && !known) {
      if (!only('ignored')) problems.push(`an unknown type changed rows by ${JSON.stringify(got)} (last outcome ${last?.outcome}), expected one ignored delivery`);
    } else if (res.status !== 200) {
      problems.push(`answered ${res.status}; Rocket.Chat counts only 200`);
    }
    if (problems.length) throw new Error(`${problems.join('; ')}\n  ${describeExchange(ex, res)}`);
  }

  it('random, one-field-off, malformed and non-UTF-8 events, with random tokens and content types', async () => {
    await assertProperty(
      fc.asyncProperty(jsonBody(event), tokenHeader, fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }), async (body, token, type) => {
        await deliver(body, token, type);
      }),
      RUNS.body,
    );
  });

  it('real events with one nested value replaced (visitor.token, messages[0]._id, msg, ts, …)', async () => {
    await assertProperty(
      fc.asyncProperty(nestedMutation, async (body) => {
        await deliver(body, WEBHOOK_TOKEN);
      }),
      RUNS.nested,
    );
  });

  it('the token: only the configured one is accepted, whatever the event', async () => {
    await assertProperty(
      fc.asyncProperty(event, fc.oneof(fc.constant<string | null>(null), headerValueOf(60), fc.constantFrom(WEBHOOK_TOKEN.slice(1), WEBHOOK_TOKEN.toLowerCase() + ' ')), async (e, token) => {
        fc.pre(token?.trim() !== WEBHOOK_TOKEN);
        await deliver(JSON.stringify(e), token);
      }),
      RUNS.token,
    );
  });

  it('bodies nested thousands deep answer 4xx, storing at most the rejected delivery', async () => {
    await assertProperty(
      fc.asyncProperty(deepNesting, fc.constantFrom('top', 'visitor', 'messages'), async (deep, where) => {
        const body = where === 'top' ? deep : JSON.stringify({ ...fixtures[0], _id: 'deepRoomId1234567', [where]: '\u0001' }).replace('"\\u0001"', () => deep);
        await deliver(body, WEBHOOK_TOKEN);
      }),
      RUNS.deep,
    );
  });
});
