import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { countTexts, GatewayApi, sendBurst } from './support/gateway-api';
import { recordFaultCase } from './support/summary';

const ROOMS = 50;
const PER_ROOM = 20;

describe('fault: Rocket.Chat goes down in the middle of a 1,000-message burst', () => {
  let sim: RocketChatSimulator;
  let t: TestApp;
  let api: GatewayApi;

  beforeAll(async () => {
    sim = await RocketChatSimulator.start({ rateLimit: false });
    t = await startTestApp({
      ROCKETCHAT_URL: sim.url,
      ROCKETCHAT_TIMEOUT_MS: '1000',
      DELIVERY_RETRY_BASE_MS: '50',
      DELIVERY_RETRY_MAX_MS: '500',
      DATABASE_POOL_SIZE: '20',
    });
    await t.app.listen(0, '127.0.0.1');
    api = new GatewayApi((await t.app.getUrl()).replace('[::1]', '127.0.0.1'), t.admin.replace('Bearer ', ''));
  });
  afterAll(async () => {
    await sim?.faults.refuseConnections(false);
    await t?.close();
    await sim?.stop();
  });

  it('delivers every message exactly once, in order per room, once Rocket.Chat is back', async () => {
    const rooms = await api.openRooms('outage', ROOMS);
    const run = `rc-outage-${Date.now().toString(36)}`;
    let down = false;
    let back = false;
    const sent = await sendBurst(api, rooms, PER_ROOM, run, async (answered) => {
      if (answered >= 300 && !down) {
        down = true;
        await sim.faults.refuseConnections(true);
      }
      if (answered >= 700 && !back) {
        back = true;
        await sim.faults.refuseConnections(false);
      }
    });

    const statuses = countTexts(sent.map((s) => String(s.status)));
    // 201 while Rocket.Chat answers, 202 (queued) while it is away; nothing else
    expect([...statuses.keys()].sort()).toEqual(['201', '202']);
    expect(statuses.get('202')).toBeGreaterThan(0);

    const pending = await waitFor(
      async () => Number((await t.db.query(`SELECT count(*) AS n FROM messages WHERE delivery_status <> 'sent'`)).rows[0].n),
      (n) => n === 0,
      60_000,
      100,
    );
    const stored = await t.db.query<{ id: string; text: string; delivery_status: string }>(`SELECT id, text, delivery_status FROM messages WHERE author_type = 'visitor'`);
    const simTexts = rooms.flatMap((room) => sim.store.messages(room.rocketchatRoomId).filter((m) => !m.t).map((m) => m.msg));
    const inSim = countTexts(simTexts);
    const lost = sent.filter((s) => !inSim.has(s.text)).length;
    const duplicated = [...inSim.values()].filter((n) => n > 1).length;
    recordFaultCase({
      case: '1 Rocket.Chat down mid-burst',
      sent: sent.length,
      stored: stored.rowCount ?? 0,
      delivered: inSim.size,
      lost,
      duplicated,
      note: `${statuses.get('201') ?? 0}×201, ${statuses.get('202') ?? 0}×202`,
    });

    expect(pending).toBe(0);
    expect(stored.rowCount).toBe(ROOMS * PER_ROOM);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(simTexts).toHaveLength(ROOMS * PER_ROOM);
    // in order per room: a queued message never overtaken by a newer one
    for (const [r, room] of rooms.entries()) {
      const order = sim.store.messages(room.rocketchatRoomId).filter((m) => !m.t).map((m) => m.msg);
      expect({ room: r, order }).toEqual({ room: r, order: sent.filter((s) => s.room === r).sort((a, b) => a.i - b.i).map((s) => s.text) });
    }
    // omnigate's id is Rocket.Chat's _id
    for (const row of stored.rows) expect(sim.store.message(row.id)?.msg).toBe(row.text);
  });
});
