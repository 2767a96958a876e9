import { startTestApp, TestApp } from '../../support/test-app';

const valid = { url: 'https://chat-app.example.com/omnigate/callbacks', events: ['message.created', 'room.closed'], secret: 'whsec_0123456789abcdef' };

describe('subscriptions API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (auth: string) => ({
    post: (body: object) => t.http.post('/v1/subscriptions').set('Authorization', auth).send(body),
    get: (path = '') => t.http.get(`/v1/subscriptions${path}`).set('Authorization', auth),
    del: (path: string) => t.http.delete(`/v1/subscriptions${path}`).set('Authorization', auth),
  });

  describe('POST /v1/subscriptions', () => {
    it('creates a subscription and never shows its secret', async () => {
      const res = await as(t.admin).post(valid).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: valid.url,
        events: valid.events,
        createdAt: expect.any(String),
        disabledAt: null,
        disabledReason: null,
        consecutiveFailures: 0,
      });
      expect(JSON.stringify((await as(t.admin).get().expect(200)).body)).not.toContain(valid.secret);
      expect(JSON.stringify((await as(t.admin).get(`/${res.body.id}`).expect(200)).body)).not.toContain(valid.secret);
    });

    it.each([
      ['a non-http URL', { ...valid, url: 'ftp://example.com/x' }, 'url'],
      ['a URL without a scheme', { ...valid, url: 'example.com/x' }, 'url'],
      ['a URL over 2000 characters', { ...valid, url: `https://example.com/${'a'.repeat(2000)}` }, 'url'],
      ['no events', { ...valid, events: [] }, 'events'],
      ['an unknown event type', { ...valid, events: ['message.exploded'] }, 'events'],
      ['a repeated event type', { ...valid, events: ['room.closed', 'room.closed'] }, 'events'],
      ['a secret under 16 characters', { ...valid, secret: 'short' }, 'secret'],
      ['a secret over 200 characters', { ...valid, secret: 's'.repeat(201) }, 'secret'],
      ['a missing secret', { url: valid.url, events: valid.events }, 'secret'],
      ['an unknown field', { ...valid, active: true }, 'active'],
    ])('refuses %s with 400 naming the field', async (_name, body, field) => {
      const res = await as(t.admin).post(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it.each([
      'http://127.0.0.1:8080/hook',
      'http://[::1]/hook',
      'http://localhost:3000/hook',
      'https://chat.localhost/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/hook',
      'http://172.20.1.1/hook',
      'http://192.168.1.10/hook',
      'http://[::ffff:192.168.1.10]/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0/hook',
    ])('refuses %s: callbacks do not go into private networks by default', async (url) => {
      const res = await as(t.admin).post({ ...valid, url }).expect(400);
      expect(res.body.details).toEqual([{ field: 'url', errors: [expect.stringMatching(/^url must reach a public address: .* \(CALLBACK_ALLOW_PRIVATE_NETWORKS=true allows it\)$/)] }]);
    });

    it('accepts public addresses and names (names are checked again on every delivery)', async () => {
      await as(t.admin).post({ ...valid, url: 'http://93.184.215.14/hook' }).expect(201);
      await as(t.admin).post({ ...valid, url: 'https://hooks.example.org:8443/omnigate' }).expect(201);
    });

    it('needs the admin scope', async () => {
      const key = (await t.http.post('/v1/api-keys').set('Authorization', t.admin).send({ name: 'chat', scopes: ['chat:write'] }).expect(201)).body.secret;
      await as(`Bearer ${key}`).post(valid).expect(403);
      await as(`Bearer ${key}`).get().expect(403);
      await t.http.get('/v1/subscriptions').expect(401);
    });
  });

  describe('GET, DELETE /v1/subscriptions/:id and its deliveries', () => {
    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      await as(t.admin).get('/not-a-uuid').expect(400);
      await as(t.admin).get('/00000000-0000-4000-8000-000000000000').expect(404);
      await as(t.admin).get('/00000000-0000-4000-8000-000000000000/deliveries').expect(404);
      await as(t.admin).del('/00000000-0000-4000-8000-000000000000').expect(404);
    });

    it('lists deliveries (none yet) and validates limit and cursor', async () => {
      const { id } = (await as(t.admin).post(valid).expect(201)).body;
      expect((await as(t.admin).get(`/${id}/deliveries`).expect(200)).body).toEqual({ items: [], nextCursor: null });
      await as(t.admin).get(`/${id}/deliveries?limit=0`).expect(400);
      await as(t.admin).get(`/${id}/deliveries?limit=abc`).expect(400);
      await as(t.admin).get(`/${id}/deliveries?cursor=garbage`).expect(400);
    });

    it('deletes a subscription', async () => {
      const { id } = (await as(t.admin).post(valid).expect(201)).body;
      await as(t.admin).del(`/${id}`).expect(204);
      await as(t.admin).get(`/${id}`).expect(404);
      expect((await as(t.admin).get().expect(200)).body.items.map((s: { id: string }) => s.id)).not.toContain(id);
    });
  });
});
