/**
 * `npm run bench` (builds first): omnigate against same-run ceilings on one embedded
 * PostgreSQL, autocannon in its own process, everything on 127.0.0.1, bounded in time. Prints a
 * markdown table and writes it to bench/results/latest.md. A missed target is printed as missed.
 *   BENCH_DURATION_SEC (10), BENCH_CONNECTIONS (50), BENCH_SEED_ROOMS (100000), BENCH_SEED_MESSAGES (10 × rooms),
 *   BENCH_SCENARIOS (all: 1,2,3,4,5; e.g. `1,2` while working on a hot path; 1 includes 1b, the scale-out)
 *   BENCH_PROFILE_DIR (unset): each gateway writes a V8 CPU profile (.cpuprofile) there when it stops
 * Scenarios 1 and 2 also report the CPU per answered request of the gateway and of PostgreSQL
 * (bench/support/cpu.ts), for omnigate and the ceiling.
 */
import { chmod, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { type CpuPerRequest, type CpuTargets, clockTicksPerSecond, formatCpu, postmasterPid } from './support/cpu';
import { ADMIN_KEY, Gateway, load, measure, startGateway, warmUp, WEBHOOK_TOKEN } from './support/gateway';
import type { LoadJob } from './support/load';
import { type Child, cpuModel, freePort, listening, peakRssMb, ROOT, spawnTs } from './support/processes';
import { type Row, table } from './support/report';
import { exportCsv, openRooms, primeWebhookRooms } from './support/scenarios';

const DURATION = Number(process.env.BENCH_DURATION_SEC ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SEED_ROOMS = Number(process.env.BENCH_SEED_ROOMS ?? 100_000);
const SEED_MESSAGES = Number(process.env.BENCH_SEED_MESSAGES ?? SEED_ROOMS * 10);
const ROOMS = 200;
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? '1,2,3,4,5').split(',').map((x) => x.trim()));
const want = (n: string): boolean => SCENARIOS.has(n);

const children: Child[] = [];
const track = <T extends Child | Gateway>(c: T): T => (children.push('child' in c ? c.child : c), c);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const startedAt = Date.now();
  // other work on the machine skews every figure: the report (bench/results/latest.md) says how busy it was
  const loadBefore = loadavg()[0]!;
  const work = await mkdtemp(join(tmpdir(), 'omnigate-bench-'));
  // as root, the embedded PostgreSQL runs as the user postgres, which must reach its data dir
  await chmod(work, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), database: 'omnigate_bench' });
  const postmaster = postmasterPid(join(work, 'pg', 'cluster'));
  const cpuOf = (...gateways: Array<Child | Gateway>): CpuTargets => ({ gateway: gateways.map((g) => ('child' in g ? g.child : g).process.pid!), postgres: postmaster });
  const cpuNote = (c: CpuPerRequest | undefined): string => formatCpu(c).replace(/ ms/g, '');
  const dbUrl = (name: string): string => pg.url.replace(/\/omnigate_bench$/, `/${name}`);
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE ceiling');
    await admin.query('CREATE DATABASE omnigate_seeded');
    // 1b, two gateways: a database of its own, so its rows are the run's only
    await admin.query('CREATE DATABASE scaleout');
    await admin.end();

    const simPort = await freePort();
    const sim = track(spawnTs('tools/rocketchat-sim/main.ts', { SIM_PORT: String(simPort), SIM_RATE_LIMIT: 'off' }));
    const simUrl = await listening(sim, /simulator listening on (http:\/\/\S+)/, 60_000);
    const gateway = track(await startGateway({ DATABASE_URL: pg.url, ROCKETCHAT_URL: simUrl }));
    const auth = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };

    // 1. webhook ingest
    if (want('1')) {
    log('1. webhook ingest');
    const ceilingPort = await freePort();
    const ceiling1 = track(spawnTs('bench/ceilings/webhook-insert.ts', { CEILING_PORT: String(ceilingPort), DATABASE_URL: dbUrl('ceiling'), WEBHOOK_TOKEN }));
    await listening(ceiling1, /ceiling listening on (\d+)/, 60_000);
    const template = JSON.parse(await readFile(join(ROOT, 'test/fixtures/rocketchat/webhook-Message-visitor.json'), 'utf8')) as Record<string, unknown>;
    const rids = Array.from({ length: ROOMS }, (_, i) => `benchRoom${String(i).padStart(8, '0')}`);
    const webhookHeaders = { 'Content-Type': 'application/json', 'X-RocketChat-Livechat-Token': WEBHOOK_TOKEN };
    const webhookJob = (url: string | string[]): LoadJob => ({
      url,
      connections: CONNECTIONS,
      durationSec: DURATION,
      method: 'POST',
      headers: webhookHeaders,
      webhook: { template, rooms: rids },
    });
    const c1 = await measure({ ...webhookJob(`http://127.0.0.1:${ceilingPort}`), cpu: cpuOf(ceiling1) });
    await ceiling1.stop();
    await primeWebhookRooms([gateway.url], webhookHeaders, template, rids);
    const o1 = await measure({ ...webhookJob(gateway.url), cpu: cpuOf(gateway) });
    const r1 = o1.rps / c1.rps;
    rows.push({
      scenario: `1 webhook ingest (${CONNECTIONS} conn)`,
      rps: o1.rps, p50: o1.p50, p99: o1.p99, cpu: o1.cpu, ceiling: c1,
      figure: `${r1.toFixed(2)}× rps, p99 ${(o1.p99 / c1.p99).toFixed(2)}×`,
      target: '≥ 0.6×, p99 ≤ 1.5×',
      pass: r1 >= 0.6 && o1.p99 <= 1.5 * c1.p99,
    });
    notes.push(`1: omnigate ${o1.requests} requests (${o1.non2xx} non-2xx, ${o1.errors} errors); ceiling ${c1.requests} (${c1.non2xx} non-2xx, ${c1.errors} errors)`);
    notes.push(`1: CPU per request (ms): omnigate ${cpuNote(o1.cpu)}; ceiling ${cpuNote(c1.cpu)}`);
    notes.push(`1, 1b: the ${ROOMS} rooms are created before the warm-up, by one Message each (the general path), so the measured runs take the hot path (a new message in a known room)`);

    // 1b. scale-out: two gateways on one PostgreSQL (a fresh database), one autocannon spreading its
    // connections over both; every message id is distinct, so the rows say what was duplicated or lost
    log('1b. scale-out: two gateways');
    const scaleUrl = dbUrl('scaleout');
    // one after the other: the first applies the migrations
    const gwA = track(await startGateway({ DATABASE_URL: scaleUrl, ROCKETCHAT_URL: simUrl }));
    const gwB = track(await startGateway({ DATABASE_URL: scaleUrl, ROCKETCHAT_URL: simUrl }));
    const okIdsFile = join(work, 'scaleout-ok-ids.json');
    const scaleJob: LoadJob = { ...webhookJob([gwA.url, gwB.url]), okIdsFile, cpu: cpuOf(gwA, gwB) };
    const scaleDb = new Client({ connectionString: scaleUrl });
    await scaleDb.connect();
    const benchRows = async (): Promise<{ rows: number; distinct: number; rooms: number; counted: number }> =>
      (await scaleDb.query(`
        SELECT count(m.id)::int AS rows, count(DISTINCT m.rocketchat_message_id)::int AS distinct,
               (SELECT count(*)::int FROM rooms WHERE rocketchat_room_id LIKE 'benchRoom%') AS rooms,
               (SELECT coalesce(sum(message_count), 0)::int FROM rooms WHERE rocketchat_room_id LIKE 'benchRoom%') AS counted
        FROM messages m JOIN rooms r ON r.id = m.room_id WHERE r.rocketchat_room_id LIKE 'benchRoom%'`)).rows[0] as { rows: number; distinct: number; rooms: number; counted: number };
    // the rooms are created by their first message (general path), on either instance, before the warm-up
    await primeWebhookRooms([gwA.url, gwB.url], webhookHeaders, template, rids);
    const w1b = await warmUp(scaleJob);
    await new Promise((r) => setTimeout(r, 1000));
    const before1b = await benchRows();
    const s1 = await load(scaleJob);
    // requests still in the gateways when autocannon stopped
    await new Promise((r) => setTimeout(r, 1000));
    const after1b = await benchRows();
    const okIds = JSON.parse(await readFile(okIdsFile, 'utf8')) as string[];
    const lost = (await scaleDb.query(
      `SELECT count(*)::int AS n FROM unnest($1::text[]) AS ok(id) WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.rocketchat_message_id = ok.id)`,
      [okIds],
    )).rows[0].n as number;
    await scaleDb.end();
    await gwA.child.stop();
    await gwB.child.stop();
    const duplicated = after1b.rows - after1b.distinct;
    const written = after1b.rows - before1b.rows;
    rows.push({
      scenario: `1b scale-out: 2 gateways, 1 PostgreSQL (${CONNECTIONS} conn)`,
      rps: s1.rps, p50: s1.p50, p99: s1.p99, cpu: s1.cpu,
      figure: `${(s1.rps / o1.rps).toFixed(2)}× one gateway; ${duplicated} duplicated, ${lost} lost`,
      target: '0 duplicated, 0 lost, all 2xx',
      pass: duplicated === 0 && lost === 0 && s1.non2xx === 0 && s1.errors === 0 && s1.ok > 0 && okIds.length === s1.ok,
    });
    notes.push(
      `1b: two gateways on a fresh database, autocannon's ${CONNECTIONS} connections spread over both; ${s1.requests} requests (${s1.ok} 2xx, ${s1.non2xx} non-2xx, ${s1.errors} errors), combined ${s1.rps.toFixed(0)} req/s (one gateway: ${o1.rps.toFixed(0)}); ` +
        `warm-up ${w1b.requests} requests (${w1b.non2xx} non-2xx, ${w1b.errors} errors)`,
    );
    notes.push(
      `1b: ${written} rows written in the measured run for ${okIds.length} ids answered 2xx (${written - okIds.length} more${written - okIds.length >= 0 && written - okIds.length <= CONNECTIONS ? `, at most one per connection: answered after autocannon stopped` : ''}); ` +
        `bench rooms ${after1b.rooms}, ${after1b.rows} messages, ${after1b.distinct} distinct rocketchat_message_id → ${duplicated} duplicated; ${lost} ids answered 2xx without a row → ${lost} lost; ` +
        `rooms' message_count sums to ${after1b.counted} (${after1b.counted === after1b.rows ? 'matches' : '**differs from**'} the rows)`,
    );
    notes.push(`1b: CPU per request (ms), both gateways together: ${cpuNote(s1.cpu)}`);
    }

    // 2. visitor message send through omnigate to the simulator
    if (want('2')) {
    log('2. visitor message send');
    const rooms = await openRooms(gateway.url, auth, ROOMS);
    const roomsFile = join(work, 'rooms.json');
    await writeFile(roomsFile, JSON.stringify(rooms));
    const ceiling2Port = await freePort();
    const ceiling2 = track(spawnTs('bench/ceilings/message-send.ts', { CEILING_PORT: String(ceiling2Port), DATABASE_URL: dbUrl('ceiling'), ROCKETCHAT_URL: simUrl, ROOMS_FILE: roomsFile }));
    await listening(ceiling2, /ceiling listening on (\d+)/, 60_000);
    const messageJob = (url: string): LoadJob => ({ url, connections: CONNECTIONS, durationSec: DURATION, method: 'POST', headers: auth, messageRooms: rooms.map((r) => r.id) });
    const c2 = await measure({ ...messageJob(`http://127.0.0.1:${ceiling2Port}`), cpu: cpuOf(ceiling2) });
    await ceiling2.stop();
    const o2 = await measure({ ...messageJob(gateway.url), cpu: cpuOf(gateway) });
    const r2 = o2.rps / c2.rps;
    const overhead = o2.p50 - c2.p50;
    rows.push({
      scenario: `2 message send (${CONNECTIONS} conn, ${ROOMS} rooms)`,
      rps: o2.rps, p50: o2.p50, p99: o2.p99, cpu: o2.cpu, ceiling: c2,
      figure: `${r2.toFixed(2)}× rps, overhead p50 ${overhead.toFixed(1)} ms`,
      target: '≥ 0.5×, overhead p50 < 3 ms',
      pass: r2 >= 0.5 && overhead < 3,
    });
    notes.push(`2: omnigate ${o2.requests} requests (${o2.non2xx} non-2xx, ${o2.errors} errors); ceiling ${c2.requests} (${c2.non2xx} non-2xx, ${c2.errors} errors)`);
    notes.push(`2: CPU per request (ms): omnigate ${cpuNote(o2.cpu)}; ceiling ${cpuNote(c2.cpu)} (the simulator's CPU is in neither)`);
    }
    await gateway.child.stop();
    await sim.stop();

    // 3. transcript read and search on a seeded store
    if (want('3') || want('4')) {
    log(`3. seeding ${SEED_ROOMS} rooms / ${SEED_MESSAGES} messages`);
    const seedStarted = Date.now();
    const seeder = track(spawnTs('bench/seed-store.ts', {}, ['--rooms', String(SEED_ROOMS), '--messages', String(SEED_MESSAGES), '--database-url', dbUrl('omnigate_seeded')]));
    if ((await seeder.exited) !== 0) throw new Error(`seeding failed:\n${seeder.output()}`);
    const seedSec = (Date.now() - seedStarted) / 1000;
    const seeded = track(await startGateway({ DATABASE_URL: dbUrl('omnigate_seeded'), ROCKETCHAT_URL: 'http://127.0.0.1:9' }));
    const db = new Client({ connectionString: dbUrl('omnigate_seeded') });
    await db.connect();
    const counts = (await db.query(`SELECT (SELECT count(*) FROM rooms)::int AS rooms, (SELECT count(*) FROM messages)::int AS messages`)).rows[0] as { rooms: number; messages: number };
    const sample = (await db.query(`SELECT id FROM rooms ORDER BY md5(id::text) LIMIT 200`)).rows.map((r: { id: string }) => r.id);
    const words = (await db.query(`SELECT DISTINCT substring(text from 'order (\\d+)') AS w FROM messages WHERE text LIKE '%order 1%' LIMIT 100`)).rows.map((r: { w: string }) => r.w);
    await db.end();
    notes.push(`3: store of ${counts.rooms} rooms / ${counts.messages} messages, seeded in ${seedSec.toFixed(0)} s`);
    const getJob = (paths: string[]): LoadJob => ({ url: seeded.url, connections: 10, durationSec: DURATION, method: 'GET', headers: auth, paths });
    const read = await measure(getJob(sample.map((id) => `/v1/transcripts/${id}`)));
    const search = await measure(getJob(words.map((w) => `/v1/transcripts?q=${w}`)));
    rows.push({ scenario: '3a transcript of one room (10 conn)', rps: read.rps, p50: read.p50, p99: read.p99, figure: `p97.5 ${read.p97_5.toFixed(1)} ms`, target: 'p95 < 10 ms', pass: read.p97_5 < 10 && read.non2xx === 0 });
    rows.push({ scenario: '3b full-text search (10 conn)', rps: search.rps, p50: search.p50, p99: search.p99, figure: `p97.5 ${search.p97_5.toFixed(1)} ms`, target: 'p95 < 100 ms', pass: search.p97_5 < 100 && search.non2xx === 0 });
    notes.push(`3: read ${read.non2xx} non-2xx, search ${search.non2xx} non-2xx; autocannon has no p95, so p97.5 (≥ p95) is held to the p95 target`);

    // 4. CSV export
    log('4. CSV export');
    const exp = await exportCsv(seeded.url, auth, '2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    const rss = peakRssMb(seeded.child.process.pid!);
    const rowsPerSec = exp.rows / (exp.ms / 1000);
    rows.push({
      scenario: `4 CSV export (${exp.rows} rows)`,
      figure: `${Math.round(rowsPerSec)} rows/s, peak RSS ${rss.toFixed(0)} MB`,
      target: '≥ 100k rows/s, RSS < 150 MB',
      pass: exp.status === 200 && rowsPerSec >= 100_000 && rss < 150 && exp.rows === counts.messages,
    });
    notes.push(`4: HTTP ${exp.status}, ${(exp.bytes / 1e6).toFixed(0)} MB in ${(exp.ms / 1000).toFixed(1)} s; peak RSS is the gateway's VmHWM after scenario 3 and the export`);
    await seeded.child.stop();
    }

    // 5. start-up with the embedded PostgreSQL
    if (want('5')) {
    log('5. start-up');
    const dataDir = join(work, 'startup');
    await mkdir(dataDir);
    const cold = await startGateway({ DATA_DIR: dataDir, ROCKETCHAT_URL: 'http://127.0.0.1:9' });
    await cold.child.stop();
    const warm = await startGateway({ DATA_DIR: dataDir, ROCKETCHAT_URL: 'http://127.0.0.1:9' });
    await warm.child.stop();
    rows.push({ scenario: '5a start-up, cold (fresh DATA_DIR)', figure: `${(cold.readyMs / 1000).toFixed(2)} s`, target: '< 5 s', pass: cold.readyMs < 5000 });
    rows.push({ scenario: '5b start-up, warm', figure: `${(warm.readyMs / 1000).toFixed(2)} s`, target: '< 2 s', pass: warm.readyMs < 2000 });
    }

    const report = [
      `# omnigate benchmarks`,
      '',
      `${new Date().toISOString()} · CPU: ${cpuModel()} · ${cpus().length} cores · Node ${process.version} · ${DURATION} s per run after a 2 s warm-up · load: autocannon in its own process · load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`,
      '',
      table(rows),
      '',
      ...notes.map((n) => `- ${n}`),
      ...(want('1') || want('2')
        ? [
            `- CPU per request: CPU time (utime + stime from /proc/<pid>/stat, ${clockTicksPerSecond()} ticks/s) used during the measured run by the gateway's process tree ` +
              `(both in 1b; the ceiling's for the ceiling) and by the whole PostgreSQL cluster (postmaster, backends, background workers; a backend gone in the window counts through the postmaster's cutime/cstime), divided by the responses; ` +
              `the other processes connected to the cluster, idle, add their little to pg`,
          ]
        : []),
      `- whole run: ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
      '',
    ].join('\n');
    log(`\n${report}`);
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    // a partial run is for working on a hot path: only a whole run replaces the published figures
    await writeFile(join(ROOT, 'bench', 'results', SCENARIOS.size === 5 ? 'latest.md' : 'partial.md'), report);
  } finally {
    for (const c of children.reverse()) await c.stop().catch(() => undefined);
    await pg.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  for (const c of children) c.process.kill('SIGKILL');
  process.exit(1);
});


