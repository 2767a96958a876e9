import fc from 'fast-check';
import { authorization, contentType, deepNesting, headerValueOf, idempotencyKey, jsonBody, malformedPercent, nastyString, pathSegment, queryString } from './arbitraries';
import { assertProperty, Exchange, FuzzApp, Seed, sendChecked, startFuzzApp } from './harness';
import { routes, RouteSpec } from './routes';

jest.setTimeout(120_000);

const RUNS = { body: 100, param: 40, query: 40, auth: 150, unknown: 80, multipart: 60, deep: 30, percent: 30 };

/** Route names, known before the app starts (the arbitraries need the seed). */
const placeholder: Seed = { visitorToken: 'v', roomId: 'r', rocketchatRoomId: 'r', chatKey: '', readKey: '', revokedKey: '', spareKeyId: 'k' };
const NAMES = routes(placeholder).map((r) => r.name);
const BODY_ROUTES = routes(placeholder).filter((r) => r.body).map((r) => r.name);
const PARAM_ROUTES = routes(placeholder).filter((r) => r.param).map((r) => r.name);
const QUERY_ROUTES = routes(placeholder).filter((r) => r.query).map((r) => r.name);

describe('fuzzing the API: no 5xx, one error shape, nothing written on a 4xx', () => {
  let f: FuzzApp;
  let specs: Map<string, RouteSpec>;

  beforeAll(async () => {
    f = await startFuzzApp();
    specs = new Map(routes(f.seed).map((r) => [r.name, r]));
  });
  afterAll(async () => f?.close());

  const spec = (name: string) => specs.get(name)!;
  const otherKeys = () => [f.seed.chatKey, f.seed.readKey, f.seed.revokedKey];
  const mostlyAdmin = () => fc.oneof({ weight: 9, arbitrary: fc.constant<string | null>(f.t.admin) }, { weight: 1, arbitrary: authorization(f.t.admin, otherKeys()) });
  const extraHeader = fc.option(fc.tuple(fc.constantFrom('X-RocketChat-Livechat-Token', 'Accept', 'X-Request-Id', 'Accept-Language', 'Origin', 'X-Forwarded-For'), headerValueOf(100)), { nil: undefined });

  function headers(auth: string | null, extra?: [string, string], more: Record<string, string | null> = {}): Record<string, string> {
    const h: Record<string, string> = {};
    if (auth !== null) h.Authorization = auth;
    if (extra) h[extra[0]] = extra[1];
    for (const [k, v] of Object.entries(more)) if (v !== null) h[k] = v;
    return h;
  }

  it.each(BODY_ROUTES)('%s: random, one-field-off, malformed, deep and non-UTF-8 bodies', async (name) => {
    const route = spec(name);
    const idem = name === 'POST /v1/rooms/:id/messages' ? idempotencyKey : fc.constant(null);
    await assertProperty(
      fc.asyncProperty(
        route.param ?? fc.constant(''),
        jsonBody(route.body!),
        fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
        mostlyAdmin(),
        idem,
        extraHeader,
        async (param, body, type, auth, key, extra) => {
          const ex: Exchange = { method: route.method, path: route.path(param), headers: headers(auth, extra, { 'Content-Type': type, 'Idempotency-Key': key }), body };
          await sendChecked(f.t, ex);
        },
      ),
      RUNS.body,
    );
  });

  it.each(PARAM_ROUTES)('%s: random path parameters', async (name) => {
    const route = spec(name);
    await assertProperty(
      fc.asyncProperty(pathSegment, route.body ?? fc.constant(undefined), async (param, body) => {
        const ex: Exchange = {
          method: route.method,
          path: route.path(param),
          headers: headers(f.t.admin, undefined, { 'Content-Type': body ? 'application/json' : null }),
          body: body ? JSON.stringify(body) : undefined,
        };
        await sendChecked(f.t, ex);
      }),
      RUNS.param,
    );
  });

  it.each(QUERY_ROUTES)('%s: random query strings', async (name) => {
    const route = spec(name);
    await assertProperty(
      fc.asyncProperty(route.param ?? fc.constant(''), queryString(route.query!), mostlyAdmin(), extraHeader, async (param, query, auth, extra) => {
        const ex: Exchange = { method: 'GET', path: `${route.path(param)}${query ? `?${query}` : ''}`, headers: headers(auth, extra) };
        await sendChecked(f.t, ex);
      }),
      RUNS.query,
    );
  });

  it('every string field of every JSON body: NUL, lone surrogates and control characters answer 2xx or 4xx', async () => {
    // exhaustive, not sampled: each (route, field, text) once, every failure listed
    const hostile = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u0007', '\u001b[2J', '\r\n', '\uffff', "' OR 1=1 --", '\\'];
    const failures: string[] = [];
    for (const name of BODY_ROUTES) {
      const route = spec(name);
      const [valid] = fc.sample(route.body!, { seed: 42, numRuns: 1 });
      const param = route.param ? f.seed.roomId : '';
      const fields = Object.keys(valid!).filter((k) => typeof valid![k] === 'string');
      for (const field of fields) {
        for (const text of hostile) {
          const body = JSON.stringify({ ...valid, [field]: `${valid![field] as string}${text}` });
          await sendChecked(f.t, { method: route.method, path: route.path(param), headers: { Authorization: f.t.admin, 'Content-Type': 'application/json' }, body }).catch((e: Error) => failures.push(e.message));
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('every JSON route: bodies nested thousands deep answer 4xx, not 500', async () => {
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES).chain((name) => fc.tuple(fc.constant(spec(name)), spec(name).param ?? fc.constant(''), spec(name).body!)),
        deepNesting,
        fc.boolean(),
        async ([route, param, valid], deep, inField) => {
          // inField: the deep value sits in the DTO's first field, the rest of the body valid
          const [field] = Object.keys(valid);
          const body = inField && field ? JSON.stringify(valid).replace(/^\{/, `{"${field}":${deep},`).replace(new RegExp(`,"${field}":[^,}]*`), '') : deep;
          await sendChecked(f.t, { method: route.method, path: route.path(param), headers: { Authorization: f.t.admin, 'Content-Type': 'application/json' }, body });
        },
      ),
      RUNS.deep,
    );
  });

  it('every route with a path parameter: malformed percent-encoding answers 400 in the error shape', async () => {
    await assertProperty(
      fc.asyncProperty(fc.constantFrom(...PARAM_ROUTES), malformedPercent, async (name, param) => {
        const route = spec(name);
        await sendChecked(f.t, { method: route.method, path: route.path(param), headers: { Authorization: f.t.admin } });
      }),
      RUNS.percent,
    );
  });

  it('every route: Authorization forms (missing, malformed, unknown, revoked, wrong scope) are 401/403 or served', async () => {
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom(...NAMES.filter((n) => !n.endsWith('/close'))).chain((name) => {
          const route = spec(name);
          return fc.tuple(fc.constant(route), route.param ?? fc.constant(''), route.body ?? fc.constant(undefined));
        }),
        authorization(f.t.admin, otherKeys()),
        async ([route, param, validBody], auth) => {
          const body = validBody ? JSON.stringify(validBody) : undefined;
          const res = await sendChecked(f.t, { method: route.method, path: route.path(param), headers: headers(auth, undefined, { 'Content-Type': body ? 'application/json' : null }), body });
          const open = route.name.startsWith('GET /health') || route.name === 'GET /metrics' || route.name === 'GET /docs-json';
          const adminKey = new RegExp(`^bearer\\s+${f.t.admin.slice(7)}\\s*$`, 'i').test(auth ?? '');
          if (!open && !adminKey && res.status < 400 && !otherKeys().includes(auth ?? '')) {
            throw new Error(`${route.name} served a request with Authorization ${JSON.stringify(auth)?.slice(0, 100)}: ${res.status}`);
          }
        },
      ),
      RUNS.auth,
    );
  });

  it('unknown routes and methods answer 404/405 in the error shape', async () => {
    const method = fc.constantFrom<Exchange['method']>('GET', 'POST', 'DELETE', 'PUT', 'PATCH');
    const path = fc.oneof(
      fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`),
      fc.tuple(fc.constantFrom('/v1/rooms', '/v1/visitors', '/v1/api-keys', '/v1', '/webhooks', '/health', '/v2/rooms'), pathSegment, pathSegment).map(([p, a, b]) => `${p}/${a}/${b}/x`),
      fc.constantFrom('/v1/rooms', '/v1/offline-messages', '/v1/api-keys', '/health/live', '/webhooks/rocketchat').map((p) => p),
    );
    await assertProperty(
      fc.asyncProperty(method, path, fc.option(nastyString, { nil: undefined }), async (m, p, body) => {
        await sendChecked(f.t, { method: m, path: p, headers: headers(f.t.admin, undefined, { 'Content-Type': 'application/json' }), body: body === undefined ? undefined : JSON.stringify(body) });
      }),
      RUNS.unknown,
    );
  });

  it('POST /v1/rooms/:id/files: random multipart bodies', async () => {
    const part = fc.record({
      name: fc.oneof(fc.constantFrom('file', 'msg', 'description', '__proto__', ''), fc.string({ maxLength: 10 }).map((s) => s.replace(/["\r\n]/g, ''))),
      filename: fc.option(fc.oneof(fc.constantFrom('a.txt', '../../etc/passwd', 'x'.repeat(300)), fc.string({ maxLength: 20 }).map((s) => s.replace(/["\r\n]/g, ''))), { nil: undefined }),
      type: fc.option(fc.constantFrom('text/plain', 'image/png', 'application/octet-stream', '', 'x/y; a=b'), { nil: undefined }),
      data: fc.oneof(fc.string({ maxLength: 50 }), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')), fc.constantFrom('x'.repeat(1001))),
    });
    await assertProperty(
      fc.asyncProperty(fc.constantFrom(f.seed.roomId, 'nope', '00000000-0000-4000-8000-000000000000'), fc.array(part, { maxLength: 4 }), fc.boolean(), fc.constantFrom('b0undary', 'x'.repeat(70), ''), async (room, parts, truncate, boundary) => {
        const crlf = '\r\n';
        let text = parts
          .map((p) => {
            const disp = `Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
            return `--${boundary}${crlf}${disp}${crlf}${p.type !== undefined ? `Content-Type: ${p.type}${crlf}` : ''}${crlf}${p.data}${crlf}`;
          })
          .join('');
        text += truncate ? `--${boundary}` : `--${boundary}--${crlf}`;
        const ex: Exchange = {
          method: 'POST',
          path: `/v1/rooms/${room}/files`,
          headers: { Authorization: f.t.admin, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
          body: Buffer.from(text, 'latin1'),
        };
        await sendChecked(f.t, ex);
      }),
      RUNS.multipart,
    );
  });
});
