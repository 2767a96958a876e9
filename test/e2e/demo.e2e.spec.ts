import { createHash } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';

describe('GET /demo', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the demo chat page without an API key, under a strict Content-Security-Policy', async () => {
    const res = await t.http.get('/demo?room=r1&session=ogs_x').expect(200);

    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('new EventSource(');
    expect(res.text).toContain("'/v1/sessions/refresh'");
    for (const id of ['room-status', 'message-input', 'send-button', 'file-input', 'close-button', 'survey', 'rating-5']) expect(res.text).toContain(`data-testid="${id}"`);
    expect(res.text).not.toMatch(/\bog_/);
  });

  it('allows exactly the inline script and style it ships', async () => {
    const res = await t.http.get('/demo').expect(200);
    const hash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(res.text)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.text)![1]!;

    expect(res.headers['content-security-policy']).toContain(`script-src ${hash(script)}`);
    expect(res.headers['content-security-policy']).toContain(`style-src ${hash(style)}`);
  });

  it('is not in the OpenAPI document', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).not.toContain('/demo');
  });
});
