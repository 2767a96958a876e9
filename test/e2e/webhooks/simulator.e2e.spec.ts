import { Client } from 'pg';
import { ReconciliationScheduler } from '../../../src/reconciliation/reconciliation.scheduler';
import { MARIA, restClient } from '../../rocketchat-sim/support';
import { startHarness, type Harness } from '../../support/harness';
import { waitFor } from '../../support/wait-for';
import { count, resetConversations, WEBHOOK_TOKEN } from './support';

/** Rocket.Chat (the simulator) → omnigate over real HTTP, real PostgreSQL. */
describe('Rocket.Chat simulator → POST /webhooks/rocketchat', () => {
  let h: Harness;
  let rc: ReturnType<typeof restClient>;

  beforeAll(async () => {
    h = await startHarness({ webhook: { token: WEBHOOK_TOKEN, httpTimeoutMs: 2000, retryDelayMs: 200 } });
    rc = restClient(h.sim);
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    h.sim.reset();
    await resetConversations(h.t.db);
  });

  const settled = async (): Promise<void> => {
    expect(await waitFor(() => h.sim.webhooksIdle(), (idle) => idle, 10_000)).toBe(true);
  };

  async function openRoomInRocketChat(): Promise<string> {
    expect((await rc.registerVisitor(MARIA)).status).toBe(200);
    const { rid, status } = await rc.openRoom(MARIA.token);
    expect(status).toBe(200);
    return rid;
  }

  /** The room and transcript omnigate holds must be what Rocket.Chat holds. */
  async function expectSameAsSimulator(rid: string): Promise<void> {
    const room = h.sim.store.rooms.get(rid)!;
    const { rows } = await h.t.db.query('SELECT * FROM rooms WHERE rocketchat_room_id = $1', [rid]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: room.open ? (room.servedBy ? 'open' : 'queued') : 'closed',
      agent_id: room.servedBy?._id ?? null,
      agent_username: room.servedBy?.username ?? null,
      department_id: room.departmentId ?? null,
      opened_at: room.ts,
      closed_at: room.closedAt ?? null,
      tags: room.tags,
    });
    const kept = h.sim.store.messages(rid).filter((m) => !m.t || m.t === 'livechat-close');
    const messages = await h.t.db.query('SELECT rocketchat_message_id AS id, text, sent_at, author_type, author_username FROM messages ORDER BY sent_at');
    expect(messages.rows).toEqual(
      kept.map((m) => ({
        id: m._id,
        text: m.msg,
        sent_at: m.ts,
        author_type: m.t === 'livechat-close' ? 'system' : m.token ? 'visitor' : 'agent',
        author_username: m.u.username,
      })),
    );
    expect(rows[0].message_count).toBe(kept.length);
    // Rocket.Chat keeps the 200 body as crmData: omnigate's room id
    expect(JSON.parse(room.crmData ?? '{}')).toEqual({ ok: true, roomId: rows[0].id });
  }

  it('mirrors a full conversation: queued → taken → replies → forwarded to a department → closed by the agent', async () => {
    const rid = await openRoomInRocketChat();
    await rc.send(MARIA.token, rid, 'Olá, meu pedido não chegou');
    await h.sim.takeRoom(rid, 'joao.agent');
    await h.sim.sendAgentMessage(rid, { text: 'Oi Maria! Pode me passar o número do pedido?' });
    await rc.send(MARIA.token, rid, 'É o 48213');
    h.sim.setAgentStatus('ana.agent', 'online');
    await h.sim.forward(rid, { departmentId: 'dep-sales' });
    await h.sim.sendAgentMessage(rid, { text: 'Encontrei: sai para entrega hoje à tarde.' });
    await h.sim.closeRoom(rid, { by: 'agent', comment: 'Atendimento encerrado', tags: ['entrega'] });
    await settled();

    await expectSameAsSimulator(rid);
    const room = h.sim.store.rooms.get(rid)!;
    const { rows } = await h.t.db.query('SELECT closed_by, closer_username, close_comment, served_at FROM rooms');
    expect(rows).toEqual([{ closed_by: 'agent', closer_username: room.closedBy!.username, close_comment: 'Atendimento encerrado', served_at: expect.any(Date) }]);
    const events = await h.t.db.query('SELECT type, data FROM room_history ORDER BY occurred_at, id');
    expect(events.rows.map((e) => e.type)).toEqual(['started', 'queued', 'taken', 'forwarded', 'closed']);
    expect(events.rows[3].data).toMatchObject({ from: { departmentId: 'dep-support' }, to: { departmentId: 'dep-sales', agent: { username: 'ana.agent' } } });
    expect(await count(h.t.db, `webhook_receipts WHERE outcome = 'rejected'`)).toBe(0);
  });

  it('reaches the same state when every event comes twice and the messages arrive shuffled', async () => {
    h.sim.configureWebhook({ awaitFirstAttempt: false });
    try {
      const rid = await openRoomInRocketChat();
      await h.sim.takeRoom(rid, 'ana.agent');
      await settled();
      h.sim.faults.webhooks.duplicateNext(100);
      h.sim.faults.webhooks.holdAndReorder(4);
      await rc.send(MARIA.token, rid, 'um');
      await h.sim.sendAgentMessage(rid, { text: 'dois' });
      await rc.send(MARIA.token, rid, 'três');
      await h.sim.sendAgentMessage(rid, { text: 'quatro' });
      await settled();
      await h.sim.closeRoom(rid, { by: 'visitor' });
      await settled();
      expect(h.sim.store.webhookLog.some((a) => a.duplicate)).toBe(true);
      await expectSameAsSimulator(rid);
      expect(await count(h.t.db, `webhook_receipts WHERE outcome = 'duplicate'`)).toBeGreaterThanOrEqual(5);
    } finally {
      h.sim.faults.clear();
      h.sim.configureWebhook({ awaitFirstAttempt: true });
    }
  });

  it('backfills a message whose webhook was dropped from the close event', async () => {
    const rid = await openRoomInRocketChat();
    await h.sim.takeRoom(rid, 'ana.agent');
    h.sim.faults.webhooks.dropNext(1);
    const lost = await rc.send(MARIA.token, rid, 'this webhook never comes');
    await settled();
    expect(await count(h.t.db, 'messages')).toBe(0);
    await h.sim.closeRoom(rid, { by: 'agent', comment: 'bye' });
    await settled();
    const { rows } = await h.t.db.query('SELECT rocketchat_message_id FROM messages ORDER BY sent_at');
    expect(rows.map((r) => r.rocketchat_message_id)).toContain((lost.body.message as { _id: string })._id);
    await expectSameAsSimulator(rid);
  });

  it('backfills a dropped message through POST /v1/rooms/:id/sync while the room is open', async () => {
    const rid = await openRoomInRocketChat();
    await h.sim.takeRoom(rid, 'ana.agent');
    await rc.send(MARIA.token, rid, 'seen');
    h.sim.faults.webhooks.dropNext(2);
    await rc.send(MARIA.token, rid, 'lost one');
    await h.sim.sendAgentMessage(rid, { text: 'lost two' });
    await settled();
    const roomId = (await h.t.db.query('SELECT id FROM rooms')).rows[0].id as string;

    const first = await h.t.http.post(`/v1/rooms/${roomId}/sync`).set('Authorization', h.t.admin);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ roomId, fetched: expect.any(Number), inserted: 2 });
    const again = await h.t.http.post(`/v1/rooms/${rid}/sync`).set('Authorization', h.t.admin);
    expect(again.body).toMatchObject({ roomId, inserted: 0 });
    await expectSameAsSimulator(rid);
    expect((await h.t.http.get('/metrics')).text).toMatch(/omnigate_reconciliation_backfilled_messages_total\{trigger="manual"\} 2/);
  });

  it('backfills open rooms on the periodic run, and answers 404 / 401 on the sync route', async () => {
    const rid = await openRoomInRocketChat();
    h.sim.faults.webhooks.dropNext(1);
    await rc.send(MARIA.token, rid, 'lost');
    await settled();
    await h.t.app.get(ReconciliationScheduler).tick();
    await expectSameAsSimulator(rid);

    expect((await h.t.http.post('/v1/rooms/unknownRoom123/sync').set('Authorization', h.t.admin)).status).toBe(404);
    expect((await h.t.http.post(`/v1/rooms/${rid}/sync`)).status).toBe(401);
  });

  it('answers 5xx while the database is down, and the simulator retry lands once it is back', async () => {
    const rid = await openRoomInRocketChat();
    await settled();
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const dbName = new URL(h.t.databaseUrl).pathname.slice(1);
    const own = (await h.t.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    try {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2', [dbName, own]);
      await rc.send(MARIA.token, rid, 'during the outage');
      const failed = h.sim.store.webhookLog.filter((a) => a.type === 'Message');
      expect(failed.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'retry']]);
      expect(failed[0]!.status).toBeGreaterThanOrEqual(500);
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const log = await h.sim.waitForWebhooks((l) => l.some((a) => a.type === 'Message' && a.outcome === 'success'), 5000);
    expect(log.filter((a) => a.type === 'Message').map((a) => a.outcome)).toEqual(['retry', 'success']);
    await expectSameAsSimulator(rid);
  });
});
