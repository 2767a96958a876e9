import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { GatewayProcess } from '../support/gateway-process';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { countTexts, GatewayApi, NO_ANSWER } from './support/gateway-api';
import { PostgresProcess } from '../support/postgres-process';
import { recordFaultCase } from './support/summary';

const ROOMS = 10;
const OUTAGE_MS = 10_000;
const ANSWER_WITHIN_MS = 6_000;

interface Sent {
  text: string;
  status: number;
  ms: number;
  id?: string;
}

describe('fault: PostgreSQL stopped for 10 s under load', () => {
  let dataDir: string;
  let pg: PostgresProcess;
  let sim: RocketChatSimulator;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'omnigate-faults-pg-'));
    pg = await PostgresProcess.start(dataDir);
    sim = await RocketChatSimulator.start({ rateLimit: false });
  });
  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      gateway.kill('SIGTERM');
      await gateway.exited;
    }
    await sim?.stop();
    await pg?.stop().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 quickly, goes unready then ready, and leaves nothing half-written', async () => {
    const port = pg.port;
    gateway = new GatewayProcess({
      DATABASE_URL: pg.url,
      ROCKETCHAT_URL: sim.url,
      OMNIGATE_ADMIN_KEY: TEST_ADMIN_KEY,
      DELIVERY_RETRY_BASE_MS: '50',
      DELIVERY_RETRY_MAX_MS: '500',
      RECONCILE_INTERVAL_MS: '0',
    });
    const api = new GatewayApi(await gateway.listening(60_000), TEST_ADMIN_KEY);
    const rooms = await api.openRooms('pg-outage', ROOMS);

    let loading = true;
    const sent: Sent[] = [];
    const health: Array<{ at: number; status: number }> = [];
    const load = Promise.all(
      rooms.map(async (room, r) => {
        for (let i = 0; loading; i++) {
          const text = `pg-outage room ${r} message ${i}`;
          const a = await api.post(`/v1/rooms/${room.id}/messages`, { text }, 15_000);
          sent.push({ text, status: a.status, ms: a.ms, id: typeof a.body.id === 'string' ? a.body.id : undefined });
          // a client that got 503 backs off a little, as Retry-After asks (shortened)
          if (a.status >= 500 || a.status === NO_ANSWER) await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }),
    );
    const probe = (async () => {
      while (loading) {
        health.push({ at: Date.now(), status: (await api.get('/health/ready', 15_000)).status });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    await waitFor(() => sent.length, (n) => n >= 200, 20_000);
    const stoppedAt = Date.now();
    await pg.stop();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    pg = await PostgresProcess.start(dataDir, port);
    const restartedAt = Date.now();
    const ready = await waitFor(() => health.at(-1), (h) => h !== undefined && h.at > restartedAt && h.status === 200, 30_000, 100);
    const before = sent.length;
    await waitFor(() => sent.length, (n) => n >= before + 100, 20_000);
    loading = false;
    await Promise.all([load, probe]);

    const db = new Client({ connectionString: pg.url });
    await db.connect();
    try {
      const unsent = await waitFor(
        async () => Number((await db.query(`SELECT count(*) AS n FROM messages WHERE delivery_status <> 'sent'`)).rows[0].n),
        (n) => n === 0,
        60_000,
        200,
      );
      const stored = await db.query<{ id: string; text: string }>(`SELECT id, text FROM messages WHERE author_type = 'visitor'`);
      const storedTexts = new Set(stored.rows.map((r) => r.text));
      const orphans = Number((await db.query(`SELECT count(*) AS n FROM messages m LEFT JOIN rooms r ON r.id = m.room_id WHERE r.id IS NULL`)).rows[0].n);
      const miscounted = await db.query(
        `SELECT r.id, r.message_count, count(m.id)::int AS n FROM rooms r LEFT JOIN messages m ON m.room_id = r.id
          GROUP BY r.id HAVING r.message_count <> count(m.id)`,
      );
      const inSim = countTexts(rooms.flatMap((room) => sim.store.messages(room.rocketchatRoomId).filter((m) => !m.t).map((m) => m.msg)));
      const accepted = sent.filter((s) => s.status === 201 || s.status === 202);
      const refused = sent.filter((s) => s.status === 503);
      const slow = sent.filter((s) => s.status === NO_ANSWER || s.ms > ANSWER_WITHIN_MS);
      const refusedButStored = refused.filter((s) => storedTexts.has(s.text));
      const lost = accepted.filter((s) => !storedTexts.has(s.text) || !inSim.has(s.text));
      const statuses = countTexts(sent.map((s) => String(s.status)));
      const healthDuringOutage = health.filter((h) => h.at > stoppedAt + 2000 && h.at < stoppedAt + OUTAGE_MS);
      recordFaultCase({
        case: '4 PostgreSQL stopped 10 s',
        sent: sent.length,
        stored: stored.rowCount ?? 0,
        delivered: inSim.size,
        lost: lost.length,
        duplicated: [...inSim.values()].filter((n) => n > 1).length,
        note:
          `${[...statuses].map(([s, n]) => `${n}×${s === '0' ? 'no answer' : s}`).join(', ')}; slowest ${Math.round(Math.max(...sent.map((s) => s.ms)))} ms; ` +
          `ready 200 again ${((ready!.at - restartedAt) / 1000).toFixed(1)} s after restart; ${refusedButStored.length} answered 503 but stored`,
      });

      // the gateway must ride the outage out; when it died, show why
      const lastWords = gateway.exitCode === null ? '' : `${gateway.stderr}\n${gateway.stdout.split('\n').slice(-15).join('\n')}`.slice(-4000);
      expect({ exitCode: gateway.exitCode, lastWords }).toEqual({ exitCode: null, lastWords: '' });
      expect(slow.map((s) => ({ status: s.status, ms: Math.round(s.ms) }))).toEqual([]);
      // a 500 is not "unavailable, retry": show what the gateway logged for it
      const errors = [...new Set(gateway.stdout.split('\n').filter((l) => l.includes('"request failed"')).map((l) => (JSON.parse(l) as { err?: { message?: string } }).err?.message))];
      expect({ statuses: [...statuses.keys()].filter((s) => !['201', '202', '503'].includes(s)), errors }).toEqual({ statuses: [], errors });
      expect(refused.length).toBeGreaterThan(0);
      expect(healthDuringOutage.length).toBeGreaterThan(0);
      expect(healthDuringOutage.every((h) => h.status === 503)).toBe(true);
      expect(ready!.status).toBe(200);
      expect(lost).toEqual([]);
      expect(refusedButStored).toEqual([]);
      expect(orphans).toBe(0);
      expect(miscounted.rows).toEqual([]);
      expect(unsent).toBe(0);
      expect(stored.rowCount).toBe(inSim.size);
    } finally {
      await db.end();
    }
  });
});
