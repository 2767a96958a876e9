import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { createTestDatabase, connect } from '../support/database';
import { GatewayProcess } from '../support/gateway-process';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { countTexts, GatewayApi, sendBurst } from './support/gateway-api';
import { recordFaultCase } from './support/summary';

const ROOMS = 50;
const PER_ROOM = 20;
const KILL_AFTER = 300;

jest.setTimeout(330_000);

describe('fault: the gateway process is killed with SIGKILL mid-burst, then restarted', () => {
  let sim: RocketChatSimulator;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const gateways: GatewayProcess[] = [];

  const env = (): Record<string, string> => ({
    DATABASE_URL: database.url,
    ROCKETCHAT_URL: sim.url,
    OMNIGATE_ADMIN_KEY: TEST_ADMIN_KEY,
    DELIVERY_RETRY_BASE_MS: '50',
    DELIVERY_RETRY_MAX_MS: '500',
    RECONCILE_INTERVAL_MS: '0',
    DATABASE_POOL_SIZE: '20',
  });
  async function startGateway(): Promise<GatewayApi> {
    const gateway = new GatewayProcess(env());
    gateways.push(gateway);
    return new GatewayApi(await gateway.listening(60_000), TEST_ADMIN_KEY);
  }

  beforeAll(async () => {
    sim = await RocketChatSimulator.start({ rateLimit: false });
    database = await createTestDatabase('faults');
  });
  afterAll(async () => {
    for (const g of gateways) {
      if (g.exitCode === null) {
        g.kill('SIGTERM');
        await g.exited;
      }
    }
    await sim?.stop();
    await database?.drop();
  });

  it('keeps every message answered 2xx and delivers each exactly once', async () => {
    const first = await startGateway();
    const rooms = await first.openRooms('sigkill', ROOMS);
    const run = `sigkill-${Date.now().toString(36)}`;
    let killed = false;
    const sent = await sendBurst(
      first,
      rooms,
      PER_ROOM,
      run,
      (answered) => {
        if (answered >= KILL_AFTER && !killed) {
          killed = true;
          gateways[0]!.kill('SIGKILL');
        }
      },
      { stop: () => killed },
    );
    await gateways[0]!.exited;
    const accepted = sent.filter((s) => s.status === 201 || s.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(KILL_AFTER - ROOMS);

    const restartedAt = Date.now();
    await startGateway();
    const db = await connect(database.url);
    try {
      const simTextsNow = (): Map<string, number> =>
        countTexts(rooms.flatMap((room) => sim.store.messages(room.rocketchatRoomId).filter((m) => !m.t).map((m) => m.msg)));
      // what was answered 2xx must be delivered soon after the restart
      await waitFor(simTextsNow, (inSim) => accepted.every((s) => inSim.has(s.text)), 30_000, 200);
      const acceptedDeliveredMs = Date.now() - restartedAt;
      // what was in flight at the kill (stored, never answered) waits for its job to expire in pg-boss
      const unsent = await waitFor(
        async () => Number((await db.query(`SELECT count(*) AS n FROM messages WHERE delivery_status <> 'sent'`)).rows[0].n),
        (n) => n === 0,
        200_000,
        500,
      );
      const allSentMs = Date.now() - restartedAt;
      const stored = await db.query<{ id: string; text: string }>(`SELECT id, text FROM messages WHERE author_type = 'visitor'`);
      const storedIds = new Set(stored.rows.map((r) => r.id));
      const inSim = simTextsNow();
      const lostFromDb = accepted.filter((s) => !s.id || !storedIds.has(s.id));
      const lostFromSim = accepted.filter((s) => !inSim.has(s.text));
      const duplicated = [...inSim.values()].filter((n) => n > 1).length;
      recordFaultCase({
        case: '2 gateway SIGKILL mid-burst',
        sent: sent.length,
        stored: stored.rowCount ?? 0,
        delivered: inSim.size,
        lost: new Set([...lostFromDb, ...lostFromSim].map((s) => s.text)).size,
        duplicated,
        note:
          `${accepted.length} answered 2xx (all delivered ${(acceptedDeliveredMs / 1000).toFixed(1)} s after restart), ` +
          `${sent.length - accepted.length} unanswered; all stored sent after ${(allSentMs / 1000).toFixed(1)} s, ${unsent} never`,
      });

      expect(lostFromDb).toEqual([]);
      expect(lostFromSim).toEqual([]);
      expect(duplicated).toBe(0);
      expect(unsent).toBe(0);
      // what was stored without an answer (in flight at the kill) is delivered too, once
      for (const row of stored.rows) expect({ id: row.id, times: inSim.get(row.text) }).toEqual({ id: row.id, times: 1 });
      expect(inSim.size).toBe(stored.rowCount);
    } finally {
      await db.end();
    }
  });
});
