import { exportSelect, MESSAGES_EXPORT, ROOMS_EXPORT } from '../../../src/transcripts/export/export-columns';
import { GIN_FIRST_MAX_MATCHES, HIGHLIGHT_OPTIONS } from '../../../src/transcripts/search-config';
import { SearchLanguage } from '../../../src/transcripts/search-language';
import { roomMetricsPageSql } from '../../../src/transcripts/room-metrics.service';
import { matchingRoomsSql, SEARCH_MATCHES_SQL, searchRoomsSql } from '../../../src/transcripts/transcript-search.sql';
import { TRANSCRIPT_BY_ID_SQL, TRANSCRIPT_BY_RID_SQL } from '../../../src/transcripts/transcripts.service';
import { startTestApp, TestApp } from '../../support/test-app';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * The queries the API runs, EXPLAINed on a seeded store of 20k rooms / 200k messages after ANALYZE:
 * none may read `messages` sequentially (it is the table that grows without bound).
 */
describe('query plans on a seeded store', () => {
  let t: TestApp;
  let roomId: string;
  // the configuration the API searches in (the default: simple with accents folded)
  let language: string;
  jest.setTimeout(120_000);

  beforeAll(async () => {
    t = await startTestApp();
    language = t.app.get(SearchLanguage).language;
    await t.db.query(`INSERT INTO visitors (token, name) SELECT 'seed-' || g, 'Visitor ' || g FROM generate_series(1, 2000) g`);
    await t.db.query(`INSERT INTO departments (id, name) SELECT 'dep-' || g, 'Department ' || g FROM generate_series(0, 7) g`);
    await t.db.query(`
      INSERT INTO rooms (rocketchat_room_id, visitor_id, status, agent_id, department_id, opened_at, served_at, closed_at, closed_by, tags, state_at)
      SELECT 'seed-room-' || g, v.id, 'closed', 'agent-' || (g % 40), 'dep-' || (g % 8),
             timestamptz '2026-01-01' + g * interval '2 minutes', timestamptz '2026-01-01' + g * interval '2 minutes' + interval '40 seconds',
             timestamptz '2026-01-01' + g * interval '2 minutes' + interval '15 minutes', 'agent',
             CASE WHEN g % 10 = 0 THEN ARRAY['refund'] ELSE '{}'::text[] END, timestamptz '2026-01-01'
        FROM generate_series(1, 20000) g JOIN visitors v ON v.token = 'seed-' || (g % 2000 + 1)`);
    await t.db.query(`
      INSERT INTO messages (rocketchat_message_id, room_id, author_type, author_id, text, sent_at)
      SELECT 'seed-msg-' || r.rocketchat_room_id || '-' || g, r.id, CASE WHEN g % 2 = 0 THEN 'agent' ELSE 'visitor' END, NULL,
             'hello about order ' || (hashtext(r.rocketchat_room_id) & 65535) || ' line ' || g
               || CASE WHEN r.rocketchat_room_id IN ('seed-room-777', 'seed-room-4242') AND g = 3 THEN ' zanzibar' ELSE '' END,
             r.opened_at + g * interval '20 seconds'
        FROM rooms r CROSS JOIN generate_series(1, 10) g`);
    await t.db.query(`INSERT INTO room_history (room_id, type, data, occurred_at, dedupe_key)
                      SELECT id, 'taken', '{}', served_at, 'seed-taken-' || id FROM rooms`);
    await t.db.query('ANALYZE');
    roomId = (await t.db.query(`SELECT id FROM rooms WHERE rocketchat_room_id = 'seed-room-12345'`)).rows[0].id;
  });
  afterAll(() => t.close());

  async function plan(sql: string, params: unknown[]): Promise<PlanNode[]> {
    const { rows } = await t.db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return nodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode);
  }

  function expectNoSeqScanOnMessages(planNodes: PlanNode[]): void {
    const seq = planNodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'messages');
    expect({ seqScansOnMessages: seq.length, plan: planNodes.map((n) => `${n['Node Type']} ${n['Relation Name'] ?? ''} ${n['Index Name'] ?? ''}`.trim()) }).toMatchObject({ seqScansOnMessages: 0 });
  }

  /** The plan a named statement runs once its connection has chosen the generic plan (no parameter values). */
  async function genericPlan(sql: string): Promise<PlanNode[]> {
    const { rows } = await t.db.query(`EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${sql}`);
    return nodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode);
  }

  it('reads one room\'s transcript through messages_by_room_time, with its values and as the generic plan of its named statement', async () => {
    for (const [sql, params] of [[TRANSCRIPT_BY_ID_SQL, [roomId, roomId]], [TRANSCRIPT_BY_RID_SQL, ['seed-room-12345']]] as const) {
      for (const p of [await plan(sql, [...params]), await genericPlan(sql)]) {
        expectNoSeqScanOnMessages(p);
        expect(p.map((n) => n['Index Name'])).toContain('messages_by_room_time');
        expect(p.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'rooms')).toEqual([]);
      }
    }
  });

  it('searches a rare word from the GIN index messages_search, then reads only its rooms', async () => {
    const step1 = matchingRoomsSql(language, 'zanzibar');
    const p1 = await plan(step1.sql, step1.params);
    expectNoSeqScanOnMessages(p1);
    expect(p1.map((n) => n['Index Name'])).toContain('messages_search');
    const [found] = (await t.db.query(step1.sql, step1.params)).rows as Array<{ matches: number; rooms: string[] }>;
    expect(found!.matches).toBe(2);

    const { sql, params } = searchRoomsSql({ q: 'zanzibar' }, 21, { rooms: found!.rooms });
    const p2 = await plan(sql, params);
    expect(p2.filter((n) => n['Relation Name'] === 'messages')).toEqual([]);
    const page = await t.db.query(sql, params);
    expect(page.rows.map((r: { rocketchat_room_id: string }) => r.rocketchat_room_id)).toEqual(['seed-room-4242', 'seed-room-777']);
  });

  it('bounds the first step of a common word: a sequential read of messages stops at the bound', async () => {
    const step1 = matchingRoomsSql(language, 'hello');
    const { rows } = await t.db.query(`EXPLAIN (FORMAT JSON) ${step1.sql}`, step1.params);
    // a sequential scan is allowed only as the direct input of the Limit (dense matches are found
    // sooner that way than through the GIN index): it stops at the bound
    const unbounded = (node: PlanNode, underLimit: boolean): string[] => [
      ...(node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'messages' && !underLimit ? ['Seq Scan on messages'] : []),
      ...(node.Plans ?? []).flatMap((child) => unbounded(child, node['Node Type'] === 'Limit')),
    ];
    expect(unbounded(rows[0]['QUERY PLAN'][0].Plan as PlanNode, false)).toEqual([]);
    expect((await t.db.query(step1.sql, step1.params)).rows[0].matches).toBe(GIN_FIRST_MAX_MATCHES + 1);
  });

  it.each([
    ['a common word', { q: 'hello' }],
    ['a word and a period', { q: 'order', from: '2026-01-10T00:00:00Z', to: '2026-01-11T00:00:00Z' }],
    ['a word and an agent', { q: 'line', agentId: 'agent-7' }],
    ['a word and a tag', { q: 'hello', tag: 'refund' }],
    ['a word and a visitor', { q: 'hello', visitorToken: 'seed-42' }],
  ])('walks the rooms for %s without reading messages sequentially', async (_name, query) => {
    const { sql, params } = searchRoomsSql(query, 21, { language });
    expectNoSeqScanOnMessages(await plan(sql, params));
  });

  it('highlights the matches of one page of rooms without reading messages sequentially', async () => {
    const ids = (await t.db.query(`SELECT id FROM rooms ORDER BY opened_at DESC LIMIT 20`)).rows.map((r: { id: string }) => r.id);
    expectNoSeqScanOnMessages(await plan(SEARCH_MATCHES_SQL, [ids, language, 'hello', HIGHLIGHT_OPTIONS]));
  });

  it('computes a day of room metrics and a day of exports without reading messages sequentially', async () => {
    const day = [new Date('2026-01-05T00:00:00Z'), new Date('2026-01-06T00:00:00Z')];
    expectNoSeqScanOnMessages(await plan(roomMetricsPageSql(false, 51), day));
    for (const format of ['csv', 'ndjson'] as const) {
      expectNoSeqScanOnMessages(await plan(exportSelect(ROOMS_EXPORT, format, { from: day[0]!, to: day[1]! }), []));
    }
    for (const format of ['csv', 'ndjson'] as const) {
      const messagesExport = await plan(exportSelect(MESSAGES_EXPORT, format, { from: day[0]!, to: day[1]! }), []);
      expectNoSeqScanOnMessages(messagesExport);
      expect(messagesExport.map((n) => n['Index Name'])).toContain('messages_export_by_sent_at');
    }
  });

  it('orders an export by the view\'s columns, not by the formatted output of the same name', () => {
    // `ORDER BY sent_at` would name the output column to_char(...) AS sent_at: a sort of text, every row first
    expect(exportSelect(MESSAGES_EXPORT, 'csv', {})).toMatch(/ORDER BY transcript_lines\.sent_at, transcript_lines\.seq$/);
  });
});
