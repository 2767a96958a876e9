import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';

/** What a visitor session token may call besides its own routes: its visitor's rooms, and nothing else. */
const SESSION_ROUTES = new Set([
  'GET /v1/rooms/{id}/events',
  'GET /v1/visitors/{token}/events',
  'POST /v1/rooms/{id}/messages',
  'POST /v1/rooms/{id}/files',
  'GET /v1/rooms/{id}/files/{fileId}',
  'POST /v1/rooms/{id}/close',
  'POST /v1/rooms/{id}/survey',
]);

describe('operations: health, metrics, docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('GET /health/live', () => {
    it('answers 200 without a key', async () => {
      const res = await t.http.get('/health/live').expect(200);
      expect(res.body.status).toBe('ok');
    });
  });

  describe('GET /health/ready', () => {
    it('is ready when PostgreSQL answers, and reports an unreachable Rocket.Chat as a detail only', async () => {
      const res = await t.http.get('/health/ready').expect(200);
      expect(res.body.details.database.status).toBe('up');
      expect(res.body.details.rocketchat).toMatchObject({ status: 'up', reachable: false });
    });
  });

  describe('GET /metrics', () => {
    it('exposes the HTTP request histogram by route pattern and status, and process metrics', async () => {
      await t.http.delete('/v1/api-keys/00000000-0000-4000-8000-000000000000').set('Authorization', t.admin).expect(404);
      const res = await t.http.get('/metrics').expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.text).toMatch(/omnigate_http_request_duration_seconds_count\{method="DELETE",route="\/v1\/api-keys\/:id",status_code="404"\} 1/);
      expect(res.text).toContain('omnigate_process_resident_memory_bytes');
    });
  });

  describe('Swagger', () => {
    it('serves the UI at /docs', async () => {
      const res = await t.http.get('/docs').redirects(1).expect(200);
      expect(res.text).toContain('swagger-ui');
    });

    it('serves at /docs-json exactly the committed openapi.json (run `npm run openapi` when this fails)', async () => {
      const served = (await t.http.get('/docs-json').expect(200)).body;
      const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
      expect(served).toEqual(committed);
    });

    it('documents every route with a summary, the bearer scheme and error answers', async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body;
      expect(doc.components.securitySchemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/api-keys', '/v1/api-keys/{id}', '/health/ready', '/health/live']));
      for (const [path, item] of Object.entries<Record<string, { summary?: string; security?: unknown[]; responses: Record<string, unknown> }>>(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          expect({ path, method, summary: typeof op.summary }).toEqual({ path, method, summary: 'string' });
          if (path.startsWith('/v1/sessions/')) {
            // a visitor session's own routes (refresh, sign out): nothing else opens them
            expect({ path, method, security: op.security }).toEqual({ path, method, security: [{ 'visitor-session': [] }] });
            expect(Object.keys(op.responses)).toContain('401');
          } else if (path.startsWith('/v1/')) {
            expect({ path, method, security: op.security }).toEqual({ path, method, security: SESSION_ROUTES.has(`${method.toUpperCase()} ${path}`) ? [{ 'api-key': [] }, { 'visitor-session': [] }] : [{ 'api-key': [] }] });
            expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
          }
        }
      }
    });

    it('declares `security: []` on exactly the @Public() routes, the opaque bearer scheme and a server', async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body;
      expect(doc.servers).toEqual([{ url: '/', description: 'this gateway' }]);
      expect(doc.components.securitySchemes['api-key'].bearerFormat).not.toBe('JWT');
      const open: string[] = [];
      for (const [path, item] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          if (op.security?.length === 0) open.push(`${method.toUpperCase()} ${path}`);
          else expect(op.security!.length).toBeGreaterThan(0);
        }
      }
      expect(open.sort()).toEqual(['GET /health/live', 'GET /health/ready', 'POST /webhooks/rocketchat']);
    });
  });
});

describe('CORS', () => {
  it('is off by default and answers the configured origins when CORS_ORIGINS is set', async () => {
    const closed = await startTestApp();
    const open = await startTestApp({ CORS_ORIGINS: 'https://chat.example.com' });
    try {
      const none = await closed.http.get('/health/live').set('Origin', 'https://chat.example.com').expect(200);
      expect(none.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await open.http
        .options('/v1/rooms/x/events')
        .set('Origin', 'https://chat.example.com')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://chat.example.com');
      const other = await open.http.get('/health/live').set('Origin', 'https://evil.example.com').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.close();
      await open.close();
    }
  });
});
