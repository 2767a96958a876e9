import fc from 'fast-check';
import { SQL_INJECTIONS } from './arbitraries';
import { assertProperty, FuzzApp, missingTables, rowCounts, RowCounts, sendChecked, startFuzzApp } from './harness';

jest.setTimeout(120_000);

const RUNS = 150;

/** An injection string alone, or around a plausible value (where a naive concatenation would break out). */
const injection: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL_INJECTIONS),
  fc.tuple(fc.constantFrom('', 'maria@example.com', 'web-42', 'dep-support', 'open', '2026-11-24T00:00:00Z', 'refund', '10'), fc.constantFrom(...SQL_INJECTIONS), fc.boolean()).map(([v, i, before]) => (before ? i + v : v + i)),
);

/** Every filter and search parameter, by route; the answer on 200 must be what no seeded row matches. */
const FILTERS: Array<{ path: string; param: string; items?: string; read?: boolean }> = [
  { path: '/v1/visitors', param: 'email', items: 'items' },
  { path: '/v1/visitors', param: 'phone', items: 'items' },
  { path: '/v1/visitors', param: 'updatedSince' },
  { path: '/v1/visitors', param: 'cursor' },
  { path: '/v1/visitors', param: 'limit' },
  { path: '/v1/rooms', param: 'status', items: 'items' },
  { path: '/v1/rooms', param: 'visitorToken', items: 'items' },
  { path: '/v1/rooms', param: 'agentId', items: 'items' },
  { path: '/v1/rooms', param: 'departmentId', items: 'items' },
  { path: '/v1/rooms', param: 'openedFrom' },
  { path: '/v1/rooms', param: 'closedTo' },
  { path: '/v1/rooms', param: 'cursor' },
  { path: '/v1/rooms/:room/messages', param: 'after' },
  { path: '/v1/rooms/:room/messages', param: 'cursor' },
  { path: '/v1/rooms/:room/messages', param: 'limit' },
  { path: '/v1/transcripts', param: 'q', items: 'items' },
  { path: '/v1/transcripts', param: 'tag', items: 'items' },
  { path: '/v1/transcripts', param: 'agentId', items: 'items' },
  { path: '/v1/transcripts', param: 'departmentId', items: 'items' },
  { path: '/v1/transcripts', param: 'visitorToken', items: 'items' },
  { path: '/v1/transcripts', param: 'status', items: 'items' },
  { path: '/v1/transcripts', param: 'from' },
  { path: '/v1/transcripts', param: 'cursor' },
  { path: '/v1/transcripts/:injected', param: 'format' },
  { path: '/v1/exports/messages?to=2030-01-01', param: 'from' },
  { path: '/v1/exports/rooms?from=2020-01-01', param: 'to' },
  { path: '/v1/exports/messages?from=2020-01-01&to=2030-01-01', param: 'format' },
  { path: '/v1/metrics/rooms?from=2020-01-01&to=2030-01-01', param: 'groupBy' },
  { path: '/v1/metrics/rooms?from=2020-01-01&to=2030-01-01', param: 'cursor' },
  { path: '/v1/metrics/rooms?to=2030-01-01', param: 'from' },
];

/** Path parameters that reach a query: ids and tokens. */
const PATHS = ['/v1/rooms/:injected', '/v1/rooms/:injected/messages', '/v1/visitors/:injected', '/v1/transcripts/:injected'];

describe('SQL injection in every filter, search and id parameter', () => {
  let f: FuzzApp;
  let start: RowCounts;

  beforeAll(async () => {
    f = await startFuzzApp();
    start = await rowCounts(f.t.db);
  });
  afterAll(async () => f?.close());

  const path = (template: string, value: string) => template.replace(':room', f.seed.roomId).replace(':injected', encodeURIComponent(value));
  const join = (p: string, query: string) => `${p}${p.includes('?') ? '&' : '?'}${query}`;

  it('query parameters answer 400 or a correct (empty) answer, never 5xx', async () => {
    await assertProperty(
      fc.asyncProperty(fc.constantFrom(...FILTERS), injection, async (filter, value) => {
        const url = join(path(filter.path, f.seed.roomId), `${filter.param}=${encodeURIComponent(value)}`);
        const res = await sendChecked(f.t, { method: 'GET', path: url, headers: { Authorization: f.t.admin } });
        if (res.status !== 200 && res.status !== 400) throw new Error(`GET ${url} answered ${res.status}: ${res.text.slice(0, 200)}`);
        // no seeded row has such a value: anything found means the filter was bypassed
        if (res.status === 200 && filter.items && (res.body as Record<string, unknown[]>)[filter.items]?.length) {
          throw new Error(`GET ${url} found ${String((res.body as Record<string, unknown[]>)[filter.items]!.length)} rows: ${res.text.slice(0, 300)}`);
        }
      }),
      RUNS,
    );
  });

  it('path parameters (room ids, visitor tokens) answer 400 or 404, never 5xx', async () => {
    await assertProperty(
      fc.asyncProperty(fc.constantFrom(...PATHS), injection, async (template, value) => {
        const res = await sendChecked(f.t, { method: 'GET', path: path(template, value), headers: { Authorization: f.t.admin } });
        if (res.status !== 400 && res.status !== 404) throw new Error(`GET ${path(template, value)} answered ${res.status}: ${res.text.slice(0, 200)}`);
      }),
      60,
    );
  });

  it('leaves every table in place with the rows it had', async () => {
    expect(await missingTables(f.t.db)).toEqual([]);
    expect(await rowCounts(f.t.db)).toEqual(start);
    // the seeded rows still answer normally
    const room = await f.t.http.get(`/v1/rooms/${f.seed.roomId}`).set('Authorization', f.t.admin).expect(200);
    expect(room.body).toMatchObject({ id: f.seed.roomId, visitorToken: f.seed.visitorToken });
    const found = await f.t.http.get('/v1/visitors').query({ email: 'fuzz.visitor@example.com' }).set('Authorization', f.t.admin).expect(200);
    expect(found.body.items).toHaveLength(1);
  });
});
