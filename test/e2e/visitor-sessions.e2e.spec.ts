import { createHmac } from 'node:crypto';
import { VisitorSessionTokens } from '../../src/sessions/visitor-session-tokens';
import { startHarness, type Harness } from '../support/harness';
import { SseClient } from '../support/sse-client';
import { waitFor } from '../support/wait-for';
import { startTestApp } from '../support/test-app';

const ORIGIN = 'https://shop.example.com';

/** A browser acting for one visitor with a session token, no API key: what it may do, and how a session ends. */
describe.each(['8.8.1', '7.10.3'])('visitor sessions on Rocket.Chat %s', (version) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ version, webhook: true, env: { CORS_ORIGINS: ORIGIN, SSE_HEARTBEAT_MS: '200' } });
  });
  afterAll(() => h.close());

  const mint = async (visitorToken: string, body: object = {}) =>
    (await h.post(`/v1/visitors/${visitorToken}/sessions`, body).expect(201)).body as { token: string; expiresAt: string; sessionEndsAt: string; visitorId: string };
  const as = (token: string) => ({
    post: (path: string, body: object = {}) => h.t.http.post(path).set('Authorization', `Bearer ${token}`).send(body),
    get: (path: string) => h.t.http.get(path).set('Authorization', `Bearer ${token}`),
    delete: (path: string) => h.t.http.delete(path).set('Authorization', `Bearer ${token}`),
  });
  const stream = (path: string, token: string) => SseClient.open(`${h.url}${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`);
  /** a token of the app's own key, as an older gateway or a test of the edges would sign it */
  const signed = (claims: Parameters<VisitorSessionTokens['sign']>[0]) => h.t.app.get(VisitorSessionTokens).sign(claims);

  it("covers its visitor's own room: send, upload, download, close, survey, and the room's stream", async () => {
    const room = await h.room();
    const session = await mint(room.token, { ttlSeconds: 600, maxAgeSeconds: 3600 });
    expect(session.token).toMatch(/^ogs_/);
    expect(Date.parse(session.sessionEndsAt) - Date.parse(session.expiresAt)).toBe(3000 * 1000);
    const browser = as(session.token);

    const events = await stream(`/v1/rooms/${room.id}/events`, session.token);
    expect(events.status).toBe(200);
    const sent = await browser.post(`/v1/rooms/${room.id}/messages`, { text: 'Olá, meu pedido não chegou' }).expect(201);
    expect(sent.body).toMatchObject({ authorType: 'visitor', deliveryStatus: 'sent' });
    const upload = await h.t.http
      .post(`/v1/rooms/${room.rocketchatRoomId}/files`)
      .set('Authorization', `Bearer ${session.token}`)
      .attach('file', Buffer.from('order 48213'), { filename: 'receipt.txt', contentType: 'text/plain' })
      .expect(201);
    const downloadUrl = (upload.body.attachments as Array<{ downloadUrl?: string }>)[0]!.downloadUrl!;
    expect((await browser.get(downloadUrl).expect(200)).text).toBe('order 48213');
    // the stream's messages carry the same downloadUrl as the API's
    const withFile = await waitFor(
      () => events.events.find((e) => e.event === 'message.created' && (e.data.data.attachments as unknown[]).length),
      (e) => e !== undefined,
    );
    expect((withFile!.data.data.attachments as Array<{ downloadUrl?: string }>)[0]!.downloadUrl).toBe(downloadUrl);

    await browser.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
    const survey = await browser.post(`/v1/rooms/${room.id}/survey`, { rating: 4, comment: 'ok' }).expect(201);
    expect(survey.body).toMatchObject({ rating: 4 });
    events.close();
  });

  it("refuses another visitor's room (403), every route that wants an API key (403), and a token in the URL of a POST (401)", async () => {
    const mine = await h.room();
    const theirs = await h.room();
    const browser = as((await mint(mine.token)).token);
    for (const [method, path, body] of [
      ['post', `/v1/rooms/${theirs.id}/messages`, { text: 'hi' }],
      ['post', `/v1/rooms/${theirs.rocketchatRoomId}/close`, {}],
      ['post', `/v1/rooms/${theirs.id}/survey`, { rating: 5 }],
      ['get', `/v1/rooms/${theirs.id}/events`, undefined],
      ['get', `/v1/visitors/${theirs.token}/events`, undefined],
    ] as const) {
      const res = method === 'get' ? await browser.get(path) : await browser.post(path, body);
      expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 403, error: 'Forbidden' });
      expect(res.body.message).toMatch(/this visitor|another visitor/);
    }
    // a room id that is neither a uuid nor a Rocket.Chat id is bad input first
    expect((await browser.post('/v1/rooms/not a room/close', {})).status).toBe(400);
    for (const [method, path] of [
      ['get', `/v1/rooms/${mine.id}`],
      ['get', `/v1/rooms/${mine.id}/messages`],
      ['post', '/v1/rooms'],
      ['post', `/v1/rooms/${mine.id}/transfer`],
      ['post', `/v1/visitors/${mine.token}/sessions`],
      ['get', '/v1/transcripts'],
    ] as const) {
      const res = method === 'get' ? await browser.get(path) : await browser.post(path, { visitorToken: mine.token, departmentId: 'x' });
      expect({ path, status: res.status, message: res.body.message }).toEqual({ path, status: 403, message: expect.stringContaining('does not open this route') });
    }
    const token = (await mint(mine.token)).token;
    const inUrl = await h.t.http.post(`/v1/rooms/${mine.id}/messages?access_token=${token}`).send({ text: 'hi' });
    expect(inUrl.status).toBe(401);
    expect(await h.t.db.query(`SELECT 1 FROM messages m JOIN rooms r ON r.id = m.room_id WHERE r.id = ANY($1::uuid[])`, [[mine.id, theirs.id]])).toMatchObject({ rowCount: 0 });
  });

  it('answers bad input to minting with a clear 4xx', async () => {
    const visitor = await h.visitor();
    for (const [body, field] of [
      [{ ttlSeconds: 10 }, 'ttlSeconds'],
      [{ ttlSeconds: 'soon' }, 'ttlSeconds'],
      [{ maxAgeSeconds: 3_000_000 }, 'maxAgeSeconds'],
      [{ ttlSeconds: 900, maxAgeSeconds: 600 }, 'maxAgeSeconds'],
      [{ scope: 'all' }, 'scope'],
    ] as const) {
      const res = await h.post(`/v1/visitors/${visitor.token}/sessions`, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.details)).toContain(field);
    }
    await h.post('/v1/visitors/nobody-at-all/sessions', {}).expect(404);
    await h.post('/v1/visitors/bad token!/sessions', {}).expect(400);
    await h.t.http.post(`/v1/visitors/${visitor.token}/sessions`).send({}).expect(401);
    await h.t.http.delete(`/v1/visitors/${visitor.token}/sessions`).expect(401);
    await h.t.http.delete('/v1/visitors/nobody-at-all/sessions').set('Authorization', h.t.admin).expect(404);
  });

  it('refuses a forged, tampered, expired or unknown-format token (401) without touching anything', async () => {
    const room = await h.room();
    const { token, visitorId } = await mint(room.token);
    const [payload, mac] = token.slice(4).split('.');
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), v: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    const now = Date.now();
    for (const bad of [
      `ogs_${other}.${mac}`,
      `ogs_${payload}.${mac!.slice(0, -2)}xx`,
      `ogs_${payload}`,
      `ogs_${payload}.${mac}.extra`,
      'ogs_',
      signed({ visitorId, epoch: 0, expiresAt: new Date(now - 1000), sessionEndsAt: new Date(now + 60_000), ttlSeconds: 60 }),
    ]) {
      const res = await as(bad).post(`/v1/rooms/${room.id}/messages`, { text: 'forged' });
      expect({ bad, status: res.status, error: res.body.error }).toEqual({ bad, status: 401, error: 'Unauthorized' });
    }
    expect((await h.t.db.query(`SELECT 1 FROM messages WHERE room_id = $1`, [room.id])).rowCount).toBe(0);
  });

  it("refreshes within the session's lifetime, never past its end; 409 at the end and for a stream token", async () => {
    const visitor = await h.visitor();
    const session = await mint(visitor.token, { ttlSeconds: 600, maxAgeSeconds: 900 });
    const refreshed = await as(session.token).post('/v1/sessions/refresh').expect(200);
    expect(refreshed.body.token).toMatch(/^ogs_/);
    expect(refreshed.body.sessionEndsAt).toBe(session.sessionEndsAt);
    // 600 s from now would pass the session's end (900 s after minting): the end it is
    expect(Date.parse(refreshed.body.expiresAt)).toBeLessThanOrEqual(Date.parse(session.sessionEndsAt));
    expect(Date.parse(refreshed.body.expiresAt)).toBeGreaterThanOrEqual(Date.parse(session.expiresAt));
    const atEnd = await as(refreshed.body.token).post('/v1/sessions/refresh');
    if (refreshed.body.expiresAt === session.sessionEndsAt) expect(atEnd.status).toBe(409);
    const streamToken = (await h.post(`/v1/visitors/${visitor.token}/stream-tokens`, { ttlSeconds: 120 }).expect(201)).body.token as string;
    expect((await as(streamToken).post('/v1/sessions/refresh').expect(409)).body.message).toMatch(/session ends/);
    await h.post('/v1/sessions/refresh').expect(401);
    await h.t.http.post('/v1/sessions/refresh').expect(401);
    // a token in the URL does not open a session's own routes
    await h.t.http.post(`/v1/sessions/refresh?access_token=${session.token}`).expect(401);
  });

  it('takes the tokens minted before sessions existed (no epoch): epoch 0, until revoked', async () => {
    const room = await h.room();
    const key = (await h.t.db.query(`SELECT value FROM app_secrets WHERE name = 'stream-token'`)).rows[0].value as string;
    const visitorId = (await h.get(`/v1/visitors/${room.token}`).expect(200)).body.id as string;
    const payload = Buffer.from(JSON.stringify({ v: visitorId, e: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    const legacy = `ogs_${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
    await as(legacy).post(`/v1/rooms/${room.id}/messages`, { text: 'from an old page' }).expect(201);
    expect((await as(legacy).post('/v1/sessions/refresh').expect(409)).body.message).toMatch(/stream token/);
    await h.t.http.delete(`/v1/visitors/${room.token}/sessions`).set('Authorization', h.t.admin).expect(200);
    await as(legacy).post(`/v1/rooms/${room.id}/messages`, { text: 'again' }).expect(401);
  });

  it("revoking ends the visitor's sessions on every request and its open streams on every instance", async () => {
    const room = await h.room();
    const { token } = await mint(room.token);
    const other = await startTestApp({ ROCKETCHAT_URL: h.sim.url }, { databaseUrl: h.t.databaseUrl });
    try {
      await other.app.listen(0, '127.0.0.1');
      const otherUrl = (await other.app.getUrl()).replace('[::1]', '127.0.0.1');
      const here = await stream(`/v1/rooms/${room.id}/events`, token);
      const there = await SseClient.open(`${otherUrl}/v1/visitors/${room.token}/events?access_token=${encodeURIComponent(token)}`);
      expect([here.status, there.status]).toEqual([200, 200]);
      const revoked = await h.t.http.delete(`/v1/visitors/${room.token}/sessions`).set('Authorization', h.t.admin).expect(200);
      expect(revoked.body).toEqual({ visitorId: expect.any(String), sessionEpoch: 1 });
      // announced: well within the 5 s re-check that would end them anyway
      await Promise.all([here.waitForEnd(4500), there.waitForEnd(4500)]);
      expect(here.notices).toEqual([{ event: 'session.ended', data: { reason: 'revoked' } }]);
      expect(there.notices).toEqual([{ event: 'session.ended', data: { reason: 'revoked' } }]);
      const refused = await as(token).post(`/v1/rooms/${room.id}/messages`, { text: 'after revocation' }).expect(401);
      expect(refused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: 'This visitor session was revoked' });
      expect((await stream(`/v1/rooms/${room.id}/events`, token)).status).toBe(401);
      // a new session works
      await as((await mint(room.token)).token).post(`/v1/rooms/${room.id}/messages`, { text: 'new session' }).expect(201);
    } finally {
      await other.close();
    }
  });

  it('ends an open stream whose revocation was not announced (the periodic re-check) and one whose token expired', async () => {
    const room = await h.room();
    const session = await mint(room.token);
    const unannounced = await stream(`/v1/rooms/${room.id}/events`, session.token);
    await h.t.db.query(`UPDATE visitors SET session_epoch = session_epoch + 1 WHERE id = $1`, [session.visitorId]);
    await unannounced.waitForEnd(8000);
    expect(unannounced.notices).toEqual([{ event: 'session.ended', data: { reason: 'revoked' } }]);

    const now = Date.now();
    const [{ session_epoch: epoch }] = (await h.t.db.query(`SELECT session_epoch FROM visitors WHERE id = $1`, [session.visitorId])).rows;
    const shortLived = signed({ visitorId: session.visitorId, epoch, expiresAt: new Date(now + 3000), sessionEndsAt: new Date(now + 60_000), ttlSeconds: 60 });
    const expiring = await stream(`/v1/rooms/${room.id}/events`, shortLived);
    expect(expiring.status).toBe(200);
    await expiring.waitForEnd(8000);
    expect(expiring.notices).toEqual([{ event: 'session.ended', data: { reason: 'expired' } }]);
  });

  it('signs out from the page (DELETE /v1/sessions/current), and an erased visitor has no session', async () => {
    const room = await h.room();
    const { token } = await mint(room.token);
    const out = await as(token).delete('/v1/sessions/current').expect(200);
    expect(out.body.sessionEpoch).toBe(1);
    await as(token).post(`/v1/rooms/${room.id}/messages`, { text: 'signed out' }).expect(401);
    await as(token).delete('/v1/sessions/current').expect(401);

    const erased = await h.visitor();
    const before = (await mint(erased.token)).token;
    await h.t.http.delete(`/v1/visitors/${erased.token}`).set('Authorization', h.t.admin).expect(200);
    await as(before).get(`/v1/visitors/${erased.token}/events`).expect(401);
    expect((await h.post(`/v1/visitors/${erased.token}/sessions`, {}).expect(409)).body.message).toMatch(/erased/);
  });

  it("scopes a session's Idempotency-Keys to its visitor", async () => {
    const room = await h.room();
    const { token } = await mint(room.token);
    const send = (t: string) => h.t.http.post(`/v1/rooms/${room.id}/messages`).set('Authorization', `Bearer ${t}`).set('Idempotency-Key', 'page-retry-1').send({ text: 'once' });
    const first = await send(token).expect(201);
    const again = await send((await mint(room.token)).token).expect(201);
    expect(again.body.id).toBe(first.body.id);
    const byKey = await h.t.http.post(`/v1/rooms/${room.id}/messages`).set('Authorization', h.t.admin).set('Idempotency-Key', 'page-retry-1').send({ text: 'once' }).expect(201);
    expect(byKey.body.id).not.toBe(first.body.id);
  });

  it('answers a browser on a configured origin: preflight, the API and the stream carry CORS headers', async () => {
    const room = await h.room();
    const { token } = await mint(room.token);
    const preflight = await h.t.http
      .options(`/v1/rooms/${room.id}/messages`)
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/i);
    const sent = await as(token).post(`/v1/rooms/${room.id}/messages`, { text: 'cross-origin' }).set('Origin', ORIGIN).expect(201);
    expect(sent.headers['access-control-allow-origin']).toBe(ORIGIN);
    const events = await SseClient.open(`${h.url}/v1/rooms/${room.id}/events?access_token=${encodeURIComponent(token)}`, { origin: ORIGIN });
    expect(events.status).toBe(200);
    expect(events.headers['access-control-allow-origin']).toBe(ORIGIN);
    events.close();
    const elsewhere = await h.t.http.options(`/v1/rooms/${room.id}/messages`).set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
  });
});
