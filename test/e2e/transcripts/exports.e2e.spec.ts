import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';
import { parseCsv } from './csv-parser';
import { Conversation } from './factory';
import { seedScenarios } from './scenarios';
import { asText } from './text-parser';

describe('GET /v1/exports/messages and /v1/exports/rooms', () => {
  let t: TestApp;
  let maria: Conversation;
  beforeAll(async () => {
    t = await startTestApp();
    ({ maria } = await seedScenarios(t.db));
  });
  afterAll(() => t.close());

  const exportOf = (what: 'messages' | 'rooms', query: Record<string, string>) =>
    t.http.get(`/v1/exports/${what}`).query(query).set('Authorization', t.admin).buffer(true).parse(asText);

  it('exports the messages of a period as CSV: header row, RFC 4180 quoting, ISO-8601 UTC, as an attachment', async () => {
    const res = await exportOf('messages', { from: '2026-11-24', to: '2026-11-25' }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="omnigate-messages-20261124T000000Z-20261125T000000Z.csv"');
    const [header, ...rows] = parseCsv(res.body as string);
    expect(header.slice(0, 8)).toEqual(['message_id', 'sent_at', 'room_id', 'rocketchat_room_id', 'rocketchat_message_id', 'author_type', 'author_id', 'author_name']);
    // maria's 6 messages and joao's 3 (the refused one is not exported); the erased visitor's room is on the 25th
    expect(rows).toHaveLength(9);
    const col = (name: string) => header.indexOf(name);
    expect(rows[0][col('sent_at')]).toBe('2026-11-24T12:00:05.000Z');
    expect(rows[2][col('text')]).toBe('It was "express", paid by card, 2 items');
    expect(rows[4][col('text')]).toBe('Refund issued.\nYou will see it in 3 days.');
    expect(JSON.parse(rows[4][col('attachments')])).toEqual([{ kind: 'file', name: 'refund-4521.pdf', title: 'refund-4521.pdf' }]);
    expect(rows[0]).toEqual(expect.arrayContaining([maria.roomId, 'web-maria', 'Maria Souza', 'dep-billing']));
    expect(header.slice(col('department_id'), col('department_id') + 2)).toEqual(['department_id', 'department_name']);
    expect(rows.map((r) => r[col('department_name')])).toEqual([...Array(6).fill('Billing'), ...Array(3).fill('Sales')]);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
  });

  it('exports the same as NDJSON', async () => {
    const res = await exportOf('messages', { from: '2026-11-25', to: '2026-11-26', format: 'ndjson' }).expect(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = (res.body as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      // dep-support was never read from Rocket.Chat: no name
      expect.objectContaining({ sent_at: '2026-11-25T09:00:30.000Z', author_type: 'visitor', author_name: 'Visitor', visitor_name: null, visitor_token: 'web-erased', attachments: [], department_id: 'dep-support', department_name: null }),
    ]);
  });

  it('exports rooms with their metrics', async () => {
    const res = await exportOf('rooms', { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }).expect(200);
    const [header, ...rows] = parseCsv(res.body as string);
    expect(rows).toHaveLength(3);
    const first = Object.fromEntries(header.map((h, i) => [h, rows[0][i]]));
    expect(header.slice(header.indexOf('department_id'), header.indexOf('department_id') + 2)).toEqual(['department_id', 'department_name']);
    expect(first).toMatchObject({
      room_id: maria.roomId, status: 'closed', tags: '["refund"]', opened_at: '2026-11-24T12:00:00.000Z', closed_by: 'agent', department_name: 'Billing',
      wait_seconds: '35', first_response_seconds: '60', handle_seconds: '265', visitor_messages: '3', agent_messages: '2', transfers: '1',
    });
  });

  it('exports everything without from and to, and whatever lies past the one bound given', async () => {
    const all = await exportOf('rooms', {}).expect(200);
    expect(all.headers['content-disposition']).toBe('attachment; filename="omnigate-rooms-all.csv"');
    const total = (await t.db.query(`SELECT count(*)::int AS n FROM rooms`)).rows[0].n as number;
    expect(parseCsv(all.body as string)).toHaveLength(1 + total);
    const since = await exportOf('messages', { from: '2026-11-25', format: 'ndjson' }).expect(200);
    expect(since.headers['content-disposition']).toBe('attachment; filename="omnigate-messages-since-20261125T000000Z.ndjson"');
    const sinceRows = (since.body as string).trimEnd().split('\n').map((l) => JSON.parse(l) as { sent_at: string });
    expect(sinceRows.length).toBeGreaterThan(0);
    expect(sinceRows.every((r) => r.sent_at >= '2026-11-25')).toBe(true);
    const until = await exportOf('messages', { to: '2026-11-25' }).expect(200);
    expect(until.headers['content-disposition']).toBe('attachment; filename="omnigate-messages-until-20261125T000000Z.csv"');
    const [header, ...untilRows] = parseCsv(until.body as string);
    expect(untilRows.every((r) => r[header.indexOf('sent_at')]! < '2026-11-25')).toBe(true);
  });

  it('exports an empty period as the header row alone', async () => {
    const res = await exportOf('rooms', { from: '2020-01-01', to: '2020-01-02' }).expect(200);
    expect(parseCsv(res.body as string)).toHaveLength(1);
  });

  describe('a large export', () => {
    beforeAll(async () => {
      // 500 rooms × 100 messages in March 2026, away from the scripted conversations
      await t.db.query(`INSERT INTO visitors (token, name) VALUES ('bulk-visitor', 'Bulk, "the" visitor')`);
      await t.db.query(`
        INSERT INTO rooms (rocketchat_room_id, visitor_id, status, opened_at, state_at)
        SELECT 'bulk-' || g, (SELECT id FROM visitors WHERE token = 'bulk-visitor'), 'closed',
               timestamptz '2026-03-01' + g * interval '1 minute', timestamptz '2026-03-01'
          FROM generate_series(1, 500) g`);
      await t.db.query(`
        INSERT INTO messages (rocketchat_message_id, room_id, author_type, author_name, text, sent_at)
        SELECT 'bulk-' || r.rocketchat_room_id || '-' || g, r.id, CASE WHEN g % 2 = 0 THEN 'agent' ELSE 'visitor' END, NULL,
               'line ' || g || E', with "quotes"\nand a newline', r.opened_at + g * interval '1 second'
          FROM rooms r CROSS JOIN generate_series(1, 100) g WHERE r.rocketchat_room_id LIKE 'bulk-%'`);
      // as autovacuum would after a bulk load
      await t.db.query('ANALYZE');
    });

    it('streams 50k messages as well-formed CSV', async () => {
      const res = await exportOf('messages', { from: '2026-03-01', to: '2026-04-01' }).expect(200);
      // streamed: no length known up front
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers['transfer-encoding']).toBe('chunked');
      const [header, ...rows] = parseCsv(res.body as string);
      expect(rows).toHaveLength(50_000);
      expect(rows.every((r) => r.length === header.length)).toBe(true);
      const sentAt = header.indexOf('sent_at');
      expect(rows.every((r, i) => i === 0 || r[sentAt] >= rows[i - 1][sentAt])).toBe(true);
      expect(rows[0][header.indexOf('text')]).toBe('line 1, with "quotes"\nand a newline');
    });

    it('keeps every character of a text in CSV and NDJSON', async () => {
      const text = 'back\\slash "quoted", tab\there\r\nnew line, \u0001 control, emoji 😀, accents ção, \\N and \\.';
      const { rows } = await t.db.query(
        `INSERT INTO messages (rocketchat_message_id, room_id, author_type, text, sent_at)
         SELECT 'odd-text', id, 'visitor', $1, timestamptz '2026-02-01T10:00:00.123456Z' FROM rooms WHERE rocketchat_room_id = 'bulk-1'
         RETURNING id`,
        [text],
      );
      const period = { from: '2026-02-01', to: '2026-02-02' };
      const [header, ...csvRows] = parseCsv((await exportOf('messages', period).expect(200)).body as string);
      expect(csvRows).toHaveLength(1);
      expect(csvRows[0]![header.indexOf('text')]).toBe(text);
      expect(csvRows[0]![header.indexOf('sent_at')]).toBe('2026-02-01T10:00:00.123Z');
      const ndjson = (await exportOf('messages', { ...period, format: 'ndjson' }).expect(200)).body as string;
      expect(ndjson.endsWith('}\n')).toBe(true);
      expect(ndjson.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
        expect.objectContaining({ message_id: rows[0].id, text, sent_at: '2026-02-01T10:00:00.123Z', edited_at: null, author_id: null, visitor_name: 'Bulk, "the" visitor' }),
      ]);
    });

    it('ends the COPY and frees its connection when the client hangs up mid-stream', async () => {
      const copying = async (): Promise<number> =>
        (
          await t.db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND backend_type = 'client backend' AND query LIKE 'COPY%' AND state = 'active'`,
          )
        ).rows[0].n;
      const server = t.app.getHttpServer();
      if (!server.address()) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const req = httpGet({ port, host: '127.0.0.1', path: '/v1/exports/messages?from=2026-03-01&to=2026-04-01', headers: { authorization: t.admin } }, (res) => {
          expect(res.statusCode).toBe(200);
          res.once('data', () => {
            res.pause();
            // the hang-up comes while PostgreSQL is still sending (backpressure holds the COPY)
            copying()
              .finally(() => req.destroy())
              .then((n) => expect(n).toBe(1))
              .then(resolve, reject);
          });
        });
        req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      });
      const leftOpen = async (): Promise<number> => {
        const { rows } = await t.db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND (state LIKE 'idle in transaction%' OR query LIKE 'COPY%' AND state = 'active')`,
        );
        return rows[0].n;
      };
      expect(await waitFor(leftOpen, (n) => n === 0)).toBe(0);
      // the pool is still usable: the connection went back clean
      await exportOf('rooms', { from: '2026-03-01', to: '2026-03-02' }).expect(200);
    });
  });

  describe('bad input', () => {
    it.each([
      [{ from: '2026-11-24', to: '2026-11-23' }, ['to']],
      [{ to: '2026-11-24T12:00:00' }, ['to']],
      [{ from: 'last week', to: '2026-11-23' }, ['from']],
      [{ from: '2026-11-24', to: '2026-11-25', format: 'xlsx' }, ['format']],
    ])('answers 400 for %j', async (query, fields) => {
      const res = await t.http.get('/v1/exports/messages').query(query).set('Authorization', t.admin).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
    });
  });
});
