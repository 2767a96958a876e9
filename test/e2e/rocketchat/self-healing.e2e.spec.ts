import { RocketChatSimulator } from '../../../tools/rocketchat-sim';
import { startHarness, type Harness } from '../../support/harness';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

/** Rocket.Chat and omnigate disagree (a lost webhook, a restore, a restarted sandbox): omnigate heals. */
describe('when Rocket.Chat and omnigate disagree', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { ROCKETCHAT_TIMEOUT_MS: '500' } });
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  const status = async (roomId: string) => (await h.t.db.query('SELECT status, closed_by FROM rooms WHERE id = $1', [roomId])).rows[0];
  const closedEvent = async (roomId: string) =>
    (await h.t.db.query(`SELECT data FROM room_history WHERE room_id = $1 AND type = 'closed'`, [roomId])).rows.map((r) => r.data);
  const liveTypes = async (roomId: string) => (await h.t.db.query('SELECT type, data FROM live_events WHERE room_id = $1 ORDER BY id', [roomId])).rows;

  describe('Rocket.Chat closed the room without omnigate hearing of it', () => {
    it('answers the message 409 with the reason, records the room closed once, and the next POST /v1/rooms opens a new room', async () => {
      const room = await h.room();
      await h.sim.closeRoom(room.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' }); // no webhook is wired: omnigate hears nothing

      const res = await h.post(`/v1/rooms/${room.id}/messages`, { text: 'hello?' }).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { rocketchat: { reason: 'room-closed' }, message: { deliveryStatus: 'failed' } } });
      expect(await status(room.id)).toEqual({ status: 'closed', closed_by: 'system' });
      expect(await closedEvent(room.id)).toEqual([expect.objectContaining({ closedBy: 'system', lostInRocketChat: 'room-closed' })]);
      expect((await liveTypes(room.id)).filter((e) => e.type === 'room.closed')).toHaveLength(1);

      // closed here now: a second message is refused before Rocket.Chat is asked, nothing stored
      await h.post(`/v1/rooms/${room.id}/messages`, { text: 'still there?' }).expect(409);
      const next = await h.post('/v1/rooms', { visitorToken: room.token }).expect(201);
      expect(next.body.id).not.toBe(room.id);
      expect(h.sim.store.openRoomOf(room.token)?._id).toBe(next.body.rocketchatRoomId);
    });

    it('does not hand out the dead room: POST /v1/rooms opens a new one (201)', async () => {
      const room = await h.room();
      await h.sim.closeRoom(room.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' });
      const next = await h.post('/v1/rooms', { visitorToken: room.token }).expect(201);
      expect(next.body.id).not.toBe(room.id);
      expect(await status(room.id)).toEqual({ status: 'closed', closed_by: 'system' });
    });

    it('ends the pending messages of the room failed instead of retrying them forever', async () => {
      const room = await h.room();
      await h.sim.faults.refuseConnections(true);
      let pending: string[];
      try {
        pending = [];
        for (const text of ['one', 'two']) pending.push((await h.post(`/v1/rooms/${room.id}/messages`, { text }).expect(202)).body.id);
      } finally {
        await h.sim.faults.refuseConnections(false);
      }
      await h.sim.closeRoom(room.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' });
      const rows = await waitFor(
        async () => (await h.t.db.query('SELECT id, delivery_status, delivery_error FROM messages WHERE id = ANY($1) ORDER BY seq', [pending])).rows,
        (r) => r.every((m) => m.delivery_status === 'failed'),
      );
      expect(rows).toEqual(pending.map((id) => ({ id, delivery_status: 'failed', delivery_error: 'room-closed' })));
      expect(await status(room.id)).toEqual({ status: 'closed', closed_by: 'system' });
      const delivery = (await liveTypes(room.id)).filter((e) => e.type === 'message.delivery').map((e) => e.data.deliveryStatus);
      expect(delivery).toEqual(['failed', 'failed']);
    });

    it('answers close and transfer 409 and records the room closed', async () => {
      const a = await h.room();
      await h.sim.closeRoom(a.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' });
      const closing = await h.post(`/v1/rooms/${a.id}/close`, {}).expect(409);
      expect(closing.body.details.rocketchat.reason).toBe('room-closed');
      expect(await status(a.id)).toEqual({ status: 'closed', closed_by: 'system' });

      const b = await h.room();
      await h.sim.closeRoom(b.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' });
      await h.post(`/v1/rooms/${b.id}/transfer`, { departmentId: 'dep-sales' }).expect(409);
      expect(await status(b.id)).toEqual({ status: 'closed', closed_by: 'system' });
    });
  });

  describe('Rocket.Chat lost everything (a restarted sandbox: the simulator starts empty, omnigate keeps its data)', () => {
    let old: { id: string; rocketchatRoomId: string; token: string };
    let restarted: RocketChatSimulator;

    beforeAll(async () => {
      old = await h.room({ visitor: { name: 'Maria Souza', email: 'maria@example.com', phone: '+5511987654321', department: 'dep-support', customFields: [{ key: 'plan', value: 'gold', overwrite: true }] } });
      const port = Number(new URL(h.sim.url).port);
      await h.sim.stop();
      restarted = await RocketChatSimulator.start({ port, rateLimit: false });
      h.sim = restarted;
    });

    it('registers the visitor again from its record and opens a new room (201), not 404', async () => {
      expect(restarted.store.visitorByToken(old.token)).toBeUndefined();
      const next = await h.post('/v1/rooms', { visitorToken: old.token }).expect(201);
      expect(next.body.id).not.toBe(old.id);
      const again = restarted.store.visitorByToken(old.token)!;
      expect(again).toMatchObject({ name: 'Maria Souza', department: 'dep-support', visitorEmails: [{ address: 'maria@example.com' }], phone: [{ phoneNumber: '+5511987654321' }] });
      expect(again.livechatData).toEqual({ plan: 'gold' });
      expect(await status(old.id)).toEqual({ status: 'closed', closed_by: 'system' });
      expect(await closedEvent(old.id)).toEqual([expect.objectContaining({ lostInRocketChat: 'invalid-room' })]);
      // the new room works end to end
      await h.post(`/v1/rooms/${next.body.id}/messages`, { text: 'back again' }).expect(201);
    });

    it('answers a message to a room Rocket.Chat lost 409, re-registering the visitor on the way', async () => {
      const room = await h.room();
      const port = Number(new URL(h.sim.url).port);
      await h.sim.stop();
      h.sim = await RocketChatSimulator.start({ port, rateLimit: false });
      const res = await h.post(`/v1/rooms/${room.id}/messages`, { text: 'anyone?' }).expect(409);
      expect(res.body.details.rocketchat.reason).toBe('invalid-room');
      expect(h.sim.store.visitorByToken(room.token)).toBeDefined();
      expect(await status(room.id)).toEqual({ status: 'closed', closed_by: 'system' });
      await h.post('/v1/rooms', { visitorToken: room.token }).expect(201);
    });

    it('answers sync of a room Rocket.Chat lost 409 and records it closed', async () => {
      const room = await h.room();
      const port = Number(new URL(h.sim.url).port);
      await h.sim.stop();
      h.sim = await RocketChatSimulator.start({ port, rateLimit: false });
      await h.post(`/v1/rooms/${room.id}/sync`, {}).expect(409);
      expect(await status(room.id)).toEqual({ status: 'closed', closed_by: 'system' });
    });
  });
});
