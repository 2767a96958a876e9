/**
 * Fills a conversation store for the benchmarks: visitors, rooms (mostly closed, some transferred,
 * some abandoned), their lifecycle events and messages with a varied vocabulary and order numbers
 * (rare words for search).
 *
 *   ts-node bench/seed-store.ts --rooms 100000 --messages 1000000 --database-url postgres://...
 *
 * Server-side generate_series in batches (one INSERT ... SELECT per batch of rooms): no rows travel
 * over the wire at all, which beats COPY FROM STDIN (every row generated in Node, sent and parsed
 * again) for synthetic data. Applies migrations first
 * and ANALYZEs at the end, so query plans are those of a live store. Refuses a non-empty store
 * unless --force (seeded rows are recognisable: ids start with `seed-`).
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrations } from '../src/database/migrate';

interface Options {
  rooms: number;
  messages: number;
  visitors: number;
  batch: number;
  start: string;
  days: number;
  databaseUrl: string;
  force: boolean;
}

function parseArgs(argv: string[]): Options {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].replace(/^--/, '').split('=', 2);
    if (inline !== undefined) args.set(key, inline);
    else if (argv[i + 1] && !argv[i + 1].startsWith('--')) args.set(key, argv[++i]);
    else args.set(key, 'true');
  }
  const int = (name: string, fallback: number): number => {
    const v = Number(args.get(name) ?? fallback);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
    return v;
  };
  const rooms = int('rooms', 100_000);
  const databaseUrl = args.get('database-url') ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('--database-url (or DATABASE_URL) is required');
  return {
    rooms,
    messages: int('messages', rooms * 10),
    visitors: int('visitors', Math.max(1, Math.floor(rooms / 4))),
    batch: int('batch', 10_000),
    start: args.get('start') ?? '2026-01-01T00:00:00Z',
    days: int('days', 90),
    databaseUrl,
    force: args.get('force') === 'true',
  };
}

async function timed(label: string, rows: number, work: () => Promise<unknown>): Promise<void> {
  const t0 = Date.now();
  await work();
  const s = (Date.now() - t0) / 1000;
  console.log(`${label.padEnd(34)} ${String(rows).padStart(9)} rows  ${s.toFixed(1).padStart(6)} s  ${Math.round(rows / Math.max(s, 0.001))} rows/s`);
}

// per room g: 3% abandoned (never served, closed by the system), 5% transferred, last 1% still open
const ROOM_FACTS = `
  (g % 33 = 0)                                   AS abandoned,
  (g % 20 = 0 AND g % 33 <> 0)                   AS transferred,
  (g > $3::int * 99 / 100)                       AS still_open,
  $4::timestamptz + (g::float8 / $3::int) * ($5::int * interval '1 day') AS opened_at,
  (10 + abs(hashtext('w' || g)) % 300) * interval '1 second'             AS wait,
  (120 + abs(hashtext('h' || g)) % 1500) * interval '1 second'           AS handle`;

async function seed(o: Options): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(o.databaseUrl, 2)).initialize();
  const applied = await runMigrations(dataSource);
  await dataSource.destroy();
  if (applied.length) console.log(`applied migrations: ${applied.join(', ')}`);

  const db = new Client({ connectionString: o.databaseUrl, application_name: 'omnigate-seed' });
  await db.connect();
  try {
    // durability is pointless for a throwaway benchmark store and halves the time
    await db.query('SET synchronous_commit = off');
    const existing = (await db.query('SELECT count(*)::int AS n FROM rooms')).rows[0].n as number;
    if (existing > 0 && !o.force) throw new Error(`the store already has ${existing} rooms: pass --force to add more`);
    const run = Date.now().toString(36);
    const perRoom = Math.floor(o.messages / o.rooms);
    const extra = o.messages % o.rooms;
    console.log(`seeding ${o.rooms} rooms, ${o.messages} messages, ${o.visitors} visitors over ${o.days} days from ${o.start} (run ${run})`);

    await timed('visitors', o.visitors, () =>
      db.query(
        `INSERT INTO visitors (token, name, email)
         SELECT 'seed-v-' || $1 || '-' || g, 'Visitor ' || g, 'visitor' || g || '@example.com' FROM generate_series(1, $2::int) g`,
        [run, o.visitors],
      ),
    );

    for (let from = 1; from <= o.rooms; from += o.batch) {
      const to = Math.min(o.rooms, from + o.batch - 1);
      const batchMessages = (to - from + 1) * perRoom + Math.max(0, Math.min(to, extra) - from + 1);
      await timed(`rooms ${from}-${to}`, to - from + 1, () =>
        db.query(
          `INSERT INTO rooms (rocketchat_room_id, visitor_id, status, agent_id, agent_username, agent_name, department_id,
                              opened_at, queued_at, served_at, closed_at, closed_by, tags, last_message_at, message_count, state_at)
           SELECT 'seed-r-' || $6 || '-' || g, v.id,
                  CASE WHEN f.still_open AND NOT f.abandoned THEN 'open' ELSE 'closed' END,
                  CASE WHEN f.abandoned THEN NULL ELSE 'agent-' || (g % 50) END,
                  CASE WHEN f.abandoned THEN NULL ELSE 'agent' || (g % 50) END,
                  CASE WHEN f.abandoned THEN NULL ELSE 'Agent ' || (g % 50) END,
                  'dep-' || (g % 8), f.opened_at, f.opened_at,
                  CASE WHEN f.abandoned THEN NULL ELSE f.opened_at + f.wait END,
                  CASE WHEN f.still_open AND NOT f.abandoned THEN NULL ELSE f.opened_at + f.wait + f.handle END,
                  CASE WHEN f.abandoned THEN 'system' WHEN f.still_open THEN NULL WHEN g % 3 = 0 THEN 'visitor' ELSE 'agent' END,
                  CASE WHEN g % 10 = 0 THEN ARRAY['refund'] WHEN g % 10 = 1 THEN ARRAY['delivery', 'vip'] ELSE '{}'::text[] END,
                  f.opened_at + f.wait + f.handle, $7::int + CASE WHEN g <= $8::int THEN 1 ELSE 0 END, f.opened_at + f.wait
             FROM generate_series($1::int, $2::int) g
             CROSS JOIN LATERAL (SELECT ${ROOM_FACTS}) f
             JOIN visitors v ON v.token = 'seed-v-' || $6 || '-' || (g % $9::int + 1)`,
          [from, to, o.rooms, o.start, o.days, run, perRoom, extra, o.visitors],
        ),
      );
      await timed(`  events`, (to - from + 1) * 3, () =>
        db.query(
          `INSERT INTO room_history (room_id, type, data, occurred_at, dedupe_key)
           SELECT r.id, e.type, e.data, e.at, e.type || ':' || r.rocketchat_room_id
             FROM generate_series($1::int, $2::int) g
             JOIN rooms r ON r.rocketchat_room_id = 'seed-r-' || $3 || '-' || g
             CROSS JOIN LATERAL (VALUES
               ('started', jsonb_build_object('departmentId', r.department_id), r.opened_at),
               ('taken', jsonb_build_object('agent', jsonb_build_object('id', r.agent_id, 'username', r.agent_username, 'name', r.agent_name)), r.served_at),
               ('forwarded', jsonb_build_object('from', jsonb_build_object('agent', NULL), 'to', jsonb_build_object('agent', jsonb_build_object('id', r.agent_id))), r.served_at + interval '1 minute'),
               ('closed', jsonb_build_object('closedBy', r.closed_by), r.closed_at)
             ) AS e(type, data, at)
            WHERE e.at IS NOT NULL AND (e.type <> 'forwarded' OR g % 20 = 0)`,
          [from, to, run],
        ),
      );
      await timed(`  messages`, batchMessages, () =>
        db.query(
          `INSERT INTO messages (rocketchat_message_id, room_id, author_type, author_id, author_name, text, sent_at, delivery_status)
           SELECT 'seed-m-' || $3 || '-' || g || '-' || n, r.id,
                  CASE WHEN n % 2 = 1 OR r.served_at IS NULL THEN 'visitor' ELSE 'agent' END,
                  CASE WHEN n % 2 = 1 OR r.served_at IS NULL THEN NULL ELSE r.agent_id END,
                  CASE WHEN n % 2 = 1 OR r.served_at IS NULL THEN 'Visitor ' || g ELSE r.agent_name END,
                  (ARRAY['hello', 'my order', 'the refund for', 'delivery of', 'card payment', 'invoice', 'thanks for', 'a problem with',
                         'my account', 'password reset', 'shipping to', 'return label'])[1 + abs(hashtext('a' || g || n)) % 12]
                    || ' ' || (ARRAY['is late', 'arrived damaged', 'was charged twice', 'cannot be found', 'needs a change', 'works now',
                                     'is missing', 'please help', 'ok', 'got it'])[1 + abs(hashtext('b' || g || n)) % 10]
                    || CASE WHEN n % 4 = 1 THEN ' order ' || (100000 + abs(hashtext('o' || g)) % 900000) ELSE '' END,
                  CASE WHEN n % 2 = 1 OR r.served_at IS NULL THEN r.opened_at + n * interval '20 seconds'
                       ELSE r.served_at + n * interval '20 seconds' END,
                  CASE WHEN n % 2 = 1 THEN 'sent' END
             FROM generate_series($1::int, $2::int) g
             JOIN rooms r ON r.rocketchat_room_id = 'seed-r-' || $3 || '-' || g
             CROSS JOIN LATERAL generate_series(1, $4::int + CASE WHEN g <= $5::int THEN 1 ELSE 0 END) n`,
          [from, to, run, perRoom, extra],
        ),
      );
    }
    await timed('ANALYZE', 0, () => db.query('ANALYZE visitors, rooms, room_history, messages'));
    // every seeded message took the current search language (the column's default): the re-index a
    // fresh database schedules at its first start has nothing to do, and would otherwise walk the whole
    // store while the read scenarios are measured
    await db.query(`UPDATE search_settings SET reindexing = false, reindex_after = NULL WHERE NOT EXISTS (
                      SELECT 1 FROM messages WHERE search_language IS DISTINCT FROM search_settings.language)`);
  } finally {
    await db.end();
  }
}

seed(parseArgs(process.argv.slice(2))).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
