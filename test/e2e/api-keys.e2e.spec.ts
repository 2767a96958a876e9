import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

describe('API keys and scopes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses a request without a key with 401 in the shared error shape', async () => {
    const res = await t.http.get('/v1/api-keys').expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('Missing API key') });
  });

  it('refuses an unknown key and a malformed header with 401', async () => {
    await t.http.get('/v1/api-keys').set('Authorization', 'Bearer og_nope').expect(401);
    await t.http.get('/v1/api-keys').set('Authorization', 'Basic abc').expect(401);
  });

  it('registers OMNIGATE_ADMIN_KEY at start-up and stores only its hash', async () => {
    const { rows } = await t.db.query('SELECT name, secret_hash, scopes FROM api_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toBe('bootstrap-admin');
    expect(rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain('test-admin-key');
  });

  it('creates a key, shows the secret once, lists it without the secret and revokes it', async () => {
    const created = await t.http
      .post('/v1/api-keys')
      .set('Authorization', t.admin)
      .send({ name: 'web-chat', scopes: ['chat:write'] })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'web-chat', scopes: ['chat:write'], revokedAt: null });
    expect(created.body.secret).toMatch(/^og_[\w-]{43}$/);
    expect(created.body.prefix).toBe(created.body.secret.slice(0, 10));

    const list = await t.http.get('/v1/api-keys').set('Authorization', t.admin).expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: 'web-chat' });
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    const key = `Bearer ${created.body.secret}`;
    // a chat:write key cannot manage keys
    const forbidden = await t.http.get('/v1/api-keys').set('Authorization', key).expect(403);
    expect(forbidden.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'This API key lacks the scope admin' });

    const revoked = await t.http.delete(`/v1/api-keys/${created.body.id}`).set('Authorization', t.admin).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    await t.http.get('/v1/api-keys').set('Authorization', key).expect(401);
    // revoking twice is harmless
    await t.http.delete(`/v1/api-keys/${created.body.id}`).set('Authorization', t.admin).expect(200);
  });

  it('records when a key was last used', async () => {
    const created = await t.http.post('/v1/api-keys').set('Authorization', t.admin).send({ name: 'analyst', scopes: ['transcripts:read'] }).expect(201);
    await t.http.get('/v1/api-keys').set('Authorization', `Bearer ${created.body.secret}`).expect(403);
    const lastUsed = await waitFor(
      async () => (await t.db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [created.body.id])).rows[0].last_used_at,
      (v) => v !== null,
    );
    expect(lastUsed).toBeInstanceOf(Date);
  });

  describe('bad input', () => {
    it.each([
      [{}, ['name', 'scopes']],
      [{ name: '', scopes: ['admin'] }, ['name']],
      [{ name: 'x'.repeat(101), scopes: ['admin'] }, ['name']],
      [{ name: 'ok', scopes: [] }, ['scopes']],
      [{ name: 'ok', scopes: ['root'] }, ['scopes']],
      [{ name: 'ok', scopes: ['admin', 'admin'] }, ['scopes']],
      [{ name: 'ok', scopes: 'admin' }, ['scopes']],
      [{ name: 42, scopes: ['admin'] }, ['name']],
      [{ name: 'ok', scopes: ['admin'], extra: true }, ['extra']],
    ])('answers 400 listing the offending fields for %j', async (body, fields) => {
      const before = (await t.db.query('SELECT count(*)::int AS n FROM api_keys')).rows[0].n;
      const res = await t.http.post('/v1/api-keys').set('Authorization', t.admin).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('Validation failed') });
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(fields);
      expect((await t.db.query('SELECT count(*)::int AS n FROM api_keys')).rows[0].n).toBe(before);
    });

    it('answers 400 to malformed JSON, 415 to another content type, 413 to a body over the limit', async () => {
      const malformed = await t.http.post('/v1/api-keys').set('Authorization', t.admin).set('Content-Type', 'application/json').send('{"name":').expect(400);
      expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const other = await t.http.post('/v1/api-keys').set('Authorization', t.admin).set('Content-Type', 'text/csv').send('a,b').expect(415);
      expect(other.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      const huge = await t.http
        .post('/v1/api-keys')
        .set('Authorization', t.admin)
        .send({ name: 'x'.repeat(1_100_000), scopes: ['admin'] })
        .expect(413);
      expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });

    it('answers 400 to a prototype-pollution key', async () => {
      const res = await t.http
        .post('/v1/api-keys')
        .set('Authorization', t.admin)
        .set('Content-Type', 'application/json')
        .send('{"name":"x","scopes":["admin"],"__proto__":{"admin":true}}')
        .expect(400);
      expect(res.body.statusCode).toBe(400);
    });

    it('answers 400 to a key id that is not a UUID and 404 to an unknown one', async () => {
      const bad = await t.http.delete('/v1/api-keys/not-a-uuid').set('Authorization', t.admin).expect(400);
      expect(bad.body.details).toEqual([{ field: 'id', errors: ['id must be a UUID'] }]);
      await t.http.delete('/v1/api-keys/7b0c8c1e-5d43-4b64-9a51-0d5f3c2e1a77').set('Authorization', t.admin).expect(404);
    });

    it('answers unknown routes with 404 in the shared shape', async () => {
      const res = await t.http.get('/v1/nope').set('Authorization', t.admin).expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
    });
  });
});
