import { startTestApp, TestApp } from '../../support/test-app';
import { count, fixture, postWebhook, RID, WEBHOOK_TOKEN, webhookGateway } from './support';

const ERROR_SHAPE = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

async function nothingStored(t: TestApp): Promise<void> {
  for (const table of ['webhook_receipts', 'rooms', 'visitors', 'messages', 'room_history', 'offline_messages']) {
    expect({ table, rows: await count(t.db, table) }).toEqual({ table, rows: 0 });
  }
}

describe('POST /webhooks/rocketchat: who may call, and what is not an event', () => {
  const gateway = webhookGateway();

  it('answers 401 and stores nothing without the token header', async () => {
    const res = await postWebhook(gateway.t, fixture('Message-visitor'), null);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ ...ERROR_SHAPE, statusCode: 401 });
    await nothingStored(gateway.t);
  });

  it('answers 401 and stores nothing with a wrong token (also one of the same length, or a prefix)', async () => {
    for (const token of ['wrong', WEBHOOK_TOKEN.replace(/.$/, 'X'), WEBHOOK_TOKEN.slice(0, -1), `${WEBHOOK_TOKEN}x`]) {
      expect((await postWebhook(gateway.t, fixture('Message-visitor'), token)).status).toBe(401);
    }
    await nothingStored(gateway.t);
  });

  it('answers 400 in the shared error shape to malformed JSON, storing nothing', async () => {
    const res = await postWebhook(gateway.t, '{"type": "Message", ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 400, error: 'Bad Request' });
    await nothingStored(gateway.t);
  });

  it.each([
    ['an array', '[{"type":"Message"}]'],
    ['a string', '"Message"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('answers 400 to a body that is %s, storing nothing', async (_what, body) => {
    const res = await postWebhook(gateway.t, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    await nothingStored(gateway.t);
  });

  it('answers 413 to a body over the 1 MiB limit, storing nothing', async () => {
    const giant = { ...fixture('Message-visitor'), padding: 'x'.repeat(1024 * 1024 + 1) };
    const res = await postWebhook(gateway.t, giant);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413 });
    await nothingStored(gateway.t);
  });

  it.each([
    ['no room _id', (b: Record<string, unknown>) => delete b._id, '_id'],
    ['no visitor', (b: Record<string, unknown>) => delete b.visitor, 'visitor'],
    ['no visitor.token', (b: Record<string, unknown>) => delete (b.visitor as Record<string, unknown>).token, 'visitor.token'],
    ['no message', (b: Record<string, unknown>) => (b.messages = []), 'messages[0]._id'],
    ['a message without _id', (b: Record<string, unknown>) => delete (b.messages as Array<Record<string, unknown>>)[0]!._id, 'messages[0]._id'],
  ])('answers 400 to a Message with %s, keeping it as rejected and applying nothing', async (_what, spoil, field) => {
    const body = fixture('Message-visitor');
    spoil(body);
    const res = await postWebhook(gateway.t, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, details: [{ field, errors: [expect.stringContaining(field)] }] });
    const { rows } = await gateway.t.db.query('SELECT event_type, outcome, error, payload FROM webhook_receipts');
    expect(rows).toEqual([{ event_type: 'Message', outcome: 'rejected', error: expect.stringContaining(field), payload: body }]);
    for (const table of ['rooms', 'visitors', 'messages', 'room_history']) expect(await count(gateway.t.db, table)).toBe(0);
  });

  it('records an unknown type as ignored, answers 200 and counts it', async () => {
    const res = await postWebhook(gateway.t, { ...fixture('LivechatSessionStart'), type: 'LivechatSomethingNew' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    const { rows } = await gateway.t.db.query('SELECT event_type, rocketchat_room_id, outcome FROM webhook_receipts');
    expect(rows).toEqual([{ event_type: 'LivechatSomethingNew', rocketchat_room_id: RID, outcome: 'ignored' }]);
    for (const table of ['rooms', 'visitors', 'messages', 'room_history']) expect(await count(gateway.t.db, table)).toBe(0);
    const metrics = await gateway.t.http.get('/metrics');
    expect(metrics.text).toMatch(/omnigate_webhook_deliveries_total\{type="unknown",outcome="ignored"\} [1-9]/);
  });

  it('treats a body without type as unknown (200, ignored)', async () => {
    const res = await postWebhook(gateway.t, { hello: 'world' });
    expect(res.status).toBe(200);
    expect((await gateway.t.db.query('SELECT event_type, outcome FROM webhook_receipts')).rows).toEqual([{ event_type: null, outcome: 'ignored' }]);
  });

  it('drops U+0000, which PostgreSQL cannot store, instead of failing with 5xx', async () => {
    const body = fixture('Message-visitor');
    (body.messages as Array<Record<string, unknown>>)[0]!.msg = 'a\u0000b';
    const res = await postWebhook(gateway.t, body);
    expect(res.status).toBe(200);
    expect((await gateway.t.db.query('SELECT text FROM messages')).rows).toEqual([{ text: 'ab' }]);
  });
});

describe('POST /webhooks/rocketchat without ROCKETCHAT_WEBHOOK_TOKEN configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RECONCILE_INTERVAL_MS: '0' });
  });
  afterAll(async () => t?.close());

  it('answers 503 and stores nothing, whatever token is sent', async () => {
    for (const token of [WEBHOOK_TOKEN, null]) {
      const res = await postWebhook(t, fixture('Message-visitor'), token);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, message: expect.stringContaining('ROCKETCHAT_WEBHOOK_TOKEN') });
    }
    await nothingStored(t);
  });
});
