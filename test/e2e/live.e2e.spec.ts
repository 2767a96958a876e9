import { SseClient } from '../support/sse-client';
import { startHarness, type Harness } from '../support/harness';
import { startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

describe('live streams (SSE)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ listen: true, env: { SSE_HEARTBEAT_MS: '200' } });
  });
  afterAll(() => h.close());
  const streams: SseClient[] = [];
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  async function stream(path: string, headers: Record<string, string> = { authorization: h.t.admin }): Promise<SseClient> {
    const s = await SseClient.open(`${h.url}${path}`, headers);
    streams.push(s);
    return s;
  }

  it('streams a room\'s messages, delivery statuses and status changes in id order, with heartbeats', async () => {
    const room = await h.room();
    const s = await stream(`/v1/rooms/${room.id}/events`);
    expect(s.status).toBe(200);
    const sent = (await h.post(`/v1/rooms/${room.id}/messages`, { text: 'hello live' }).expect(201)).body;
    await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
    const events = await s.waitForEvents(3);
    expect(events.map((e) => e.event)).toEqual(['message.created', 'message.delivery', 'room.closed']);
    expect(events[0]!.data.data).toMatchObject({ id: sent.id, text: 'hello live', authorType: 'visitor', deliveryStatus: 'pending' });
    expect(events[1]!.data.data).toMatchObject({ id: sent.id, deliveryStatus: 'sent' });
    expect(events[2]!.data.data).toMatchObject({ status: 'closed', closedBy: 'visitor' });
    const ids = events.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    await waitFor(() => s.raw, (raw) => raw.includes(': ping'), 5000);
    expect(s.raw).toContain(': ping');
  });

  it('announces each committed event with NOTIFY (payload: its id), after the commit', async () => {
    const room = await h.room();
    const heard: string[] = [];
    h.t.db.on('notification', (n) => n.channel === 'omnigate_events' && n.payload && heard.push(n.payload));
    await h.t.db.query('LISTEN omnigate_events');
    try {
      await h.post(`/v1/rooms/${room.id}/messages`, { text: 'announce me' }).expect(201);
      const { rows } = await h.t.db.query("SELECT id::text FROM live_events WHERE room_id = $1 AND type LIKE 'message.%' ORDER BY live_events.id", [room.id]);
      expect(rows).toHaveLength(2);
      const ids = rows.map((r: { id: string }) => r.id);
      expect(await waitFor(() => heard.filter((id) => ids.includes(id)), (h) => h.length === 2, 5000)).toEqual(ids);
    } finally {
      await h.t.db.query('UNLISTEN omnigate_events');
    }
  });

  it('resumes with Last-Event-ID after a disconnect during a burst: no gap, no duplicate', async () => {
    const room = await h.room();
    const first = await stream(`/v1/rooms/${room.id}/events`);
    // supertest sends on then(): start them all now
    const burst = Array.from({ length: 30 }, (_, i) => h.post(`/v1/rooms/${room.id}/messages`, { text: `burst ${i}` }).then((r) => r));
    await first.waitForEvents(10);
    first.close();
    const seen = first.events.slice();
    await Promise.all(burst);
    for (let i = 30; i < 40; i++) expect([201, 202]).toContain((await h.post(`/v1/rooms/${room.id}/messages`, { text: `after ${i}` })).status);
    const resumed = await stream(`/v1/rooms/${room.id}/events`, { authorization: h.t.admin, 'last-event-id': seen[seen.length - 1]!.id });
    // 40 created + 40 delivered (some by the retry job)
    const rows = await waitFor(
      async () => (await h.t.db.query("SELECT id::text FROM live_events WHERE room_id = $1 AND type LIKE 'message.%' ORDER BY live_events.id", [room.id])).rows,
      (r) => r.length === 80,
      15_000,
    );
    const all = rows.map((r: { id: string }) => r.id);
    expect(all).toHaveLength(80);
    await resumed.waitForEvents(all.length - seen.length);
    const received = [...seen, ...resumed.events].map((e) => e.id);
    expect(new Set(received).size).toBe(received.length);
    // and each stream in id order
    for (const s of [seen, resumed.events]) expect(s.map((e) => BigInt(e.id))).toEqual(s.map((e) => BigInt(e.id)).sort((a, b) => (a < b ? -1 : 1)));
    expect([...received].sort((a, b) => Number(BigInt(a) - BigInt(b)))).toEqual(all);
  });

  it('reaches a stream on another instance through LISTEN/NOTIFY', async () => {
    const other = await startTestApp({ ROCKETCHAT_URL: h.sim.url }, { databaseUrl: h.t.databaseUrl });
    try {
      await other.app.listen({ port: 0, host: '127.0.0.1' });
      const room = await h.room();
      const s = await SseClient.open(`${await other.app.getUrl()}/v1/rooms/${room.id}/events`, { authorization: h.t.admin });
      streams.push(s);
      await h.post(`/v1/rooms/${room.id}/messages`, { text: 'from instance A' }).expect(201);
      const events = await s.waitForEvents(2);
      expect(events[0]!.data.data).toMatchObject({ text: 'from instance A' });
    } finally {
      streams.splice(0).forEach((s) => s.close());
      await other.stop();
    }
  });

  it('ends its open streams when it shuts down, instead of waiting for them', async () => {
    const other = await startTestApp({ ROCKETCHAT_URL: h.sim.url }, { databaseUrl: h.t.databaseUrl });
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const room = await h.room();
    const s = await SseClient.open(`${await other.app.getUrl()}/v1/rooms/${room.id}/events`, { authorization: h.t.admin });
    expect(s.status).toBe(200);
    const started = Date.now();
    await other.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    await s.waitForEnd(1000);
    expect(s.ended).toBe(true);
  });

  it('streams all of a visitor\'s rooms', async () => {
    const room = await h.room();
    const s = await stream(`/v1/visitors/${room.token}/events`);
    await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
    const next = (await h.post('/v1/rooms', { visitorToken: room.token }).expect(201)).body;
    await h.post(`/v1/rooms/${next.id}/messages`, { text: 'second room' }).expect(201);
    const events = await s.waitForEvents(4);
    expect(events.map((e) => [e.event, e.data.roomId])).toEqual([
      ['room.closed', room.id],
      ['room.queued', next.id],
      ['message.created', next.id],
      ['message.delivery', next.id],
    ]);
  });

  describe('auth', () => {
    it('needs a key with chat:write', async () => {
      const room = await h.room();
      expect((await stream(`/v1/rooms/${room.id}/events`, {})).status).toBe(401);
      const analyst = (await h.post('/v1/api-keys', { name: 'analyst', scopes: ['transcripts:read'] }).expect(201)).body.secret;
      expect((await stream(`/v1/rooms/${room.id}/events`, { authorization: `Bearer ${analyst}` })).status).toBe(403);
      expect((await stream(`/v1/rooms/${room.id}/events`, { authorization: h.t.admin, 'last-event-id': 'abc' })).status).toBe(400);
    });

    it('lets a browser use a visitor stream token, only for that visitor', async () => {
      const mine = await h.room();
      const theirs = await h.room();
      const minted = await h.post(`/v1/visitors/${mine.token}/stream-tokens`, { ttlSeconds: 120 }).expect(201);
      expect(minted.body.token).toMatch(/^ogs_/);
      const token = minted.body.token as string;
      const ok = await stream(`/v1/rooms/${mine.id}/events?access_token=${token}`, {});
      expect(ok.status).toBe(200);
      expect((await stream(`/v1/visitors/${mine.token}/events?access_token=${token}`, {})).status).toBe(200);
      expect((await stream(`/v1/rooms/${theirs.id}/events?access_token=${token}`, {})).status).toBe(403);
      expect((await stream(`/v1/visitors/${theirs.token}/events?access_token=${token}`, {})).status).toBe(403);
      const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      expect((await stream(`/v1/rooms/${mine.id}/events?access_token=${forged}`, {})).status).toBe(401);
      // a stream token (a session that cannot be refreshed) opens only its visitor's room routes
      await h.t.http.get(`/v1/rooms/${mine.id}`).set('Authorization', `Bearer ${token}`).expect(403);
      await h.post(`/v1/visitors/${mine.token}/stream-tokens`, { ttlSeconds: 5 }).expect(400);
      await h.post('/v1/visitors/nobody/stream-tokens', {}).expect(404);
    });
  });
});
