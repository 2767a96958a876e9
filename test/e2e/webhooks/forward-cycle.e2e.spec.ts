import { startHarness, type Harness } from '../../support/harness';
import { waitFor } from '../../support/wait-for';

/**
 * A forward to a department: Rocket.Chat names the old department, not the agent who served
 * (`oldServedBy` comes only with a forward to an agent); with nobody online there, Queued follows.
 */
describe('forwarding to a department', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ webhook: true });
  });
  afterAll(() => h.close());
  afterEach(() => {
    h.sim.setAgentStatus('ana.agent', 'offline');
    h.sim.setAgentStatus('joao.agent', 'offline');
  });

  const settled = () => waitFor(() => h.sim.webhooksIdle(), (idle) => idle, 10_000);
  const history = async (roomId: string) => (await h.get(`/v1/rooms/${roomId}`).expect(200)).body.events as Array<{ type: string; data: Record<string, unknown> }>;

  it('records queued → taken → forwarded → queued → taken whole, with the agent who served', async () => {
    const room = await h.room({ visitor: { department: 'dep-support' } });
    await h.sim.takeRoom(room.rocketchatRoomId, 'joao.agent');
    await h.sim.sendAgentMessage(room.rocketchatRoomId, { text: 'joao here' });
    await h.sim.forward(room.rocketchatRoomId, { departmentId: 'dep-sales' }); // nobody of dep-sales online
    await settled();
    expect((await h.get(`/v1/rooms/${room.id}`).expect(200)).body).toMatchObject({ status: 'queued', agent: null, departmentId: 'dep-sales' });
    await h.sim.takeRoom(room.rocketchatRoomId, 'ana.agent');
    await settled();

    const events = await history(room.id);
    expect(events.map((e) => e.type)).toEqual(['started', 'queued', 'taken', 'forwarded', 'queued', 'taken']);
    expect(events[3]!.data).toMatchObject({ from: { agent: { username: 'joao.agent' }, departmentId: 'dep-support' }, to: { agent: null, departmentId: 'dep-sales' } });
    expect((await h.get(`/v1/rooms/${room.id}`).expect(200)).body).toMatchObject({ status: 'open', agent: { username: 'ana.agent' }, departmentId: 'dep-sales' });
    const live = (await h.t.db.query(`SELECT type FROM live_events WHERE room_id = $1 AND type LIKE 'room.%' ORDER BY id`, [room.id])).rows.map((r) => r.type);
    expect(live).toEqual(['room.queued', 'room.taken', 'room.forwarded', 'room.queued', 'room.taken']);
  });

  it('records one forward when omnigate transferred a served room and the webhook says so too', async () => {
    h.sim.setAgentStatus('ana.agent', 'online');
    const room = await h.room({ visitor: { department: 'dep-support' } });
    await settled();
    await h.post(`/v1/rooms/${room.id}/transfer`, { departmentId: 'dep-sales' }).expect(200);
    await settled();
    const forwards = (await history(room.id)).filter((e) => e.type === 'forwarded');
    expect(forwards).toHaveLength(1);
    expect(forwards[0]!.data).toMatchObject({ from: { agent: { username: 'ana.agent' }, departmentId: 'dep-support' }, to: { departmentId: 'dep-sales' } });
  });
});
