import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

const CREDENTIALS = { ROCKETCHAT_USER_ID: 'sim-api-user', ROCKETCHAT_AUTH_TOKEN: 'sim-api-token' };

describe.each(['8.8.1', '7.10.3'])('POST /v1/rooms/:id/transfer { agentId } on Rocket.Chat %s', (version) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ version, webhook: true, env: CREDENTIALS });
  });
  afterAll(() => h.close());

  const agentId = (username: string): string => [...h.sim.store.agents.values()].find((a) => a.username === username)!._id;
  /** a queued room taken by ana.agent, every agent offline (so nothing is routed by itself) */
  const servedByAna = async () => {
    for (const a of h.sim.store.agents.values()) h.sim.setAgentStatus(a.username, 'offline');
    const room = await h.room();
    await h.sim.takeRoom(room.rocketchatRoomId, 'ana.agent');
    await waitFor(async () => (await h.get(`/v1/rooms/${room.id}`)).body.agent?.username, (u) => u === 'ana.agent', 10_000);
    return room;
  };
  const forwards = async (roomId: string) =>
    (await h.t.db.query(`SELECT data FROM room_history WHERE room_id = $1 AND type = 'forwarded' ORDER BY occurred_at, id`, [roomId])).rows.map((r) => r.data);

  it("forwards to an online agent through livechat/room.forward: the room names the new agent, one forwarded event (the webhook's is the same fact)", async () => {
    const room = await servedByAna();
    h.sim.setAgentStatus('joao.agent', 'online');
    const res = await h.post(`/v1/rooms/${room.id}/transfer`, { agentId: agentId('joao.agent') }).expect(200);
    expect(res.body).toMatchObject({ status: 'open', agent: { id: agentId('joao.agent'), username: 'joao.agent' } });
    expect(h.sim.store.rooms.get(room.rocketchatRoomId)!.servedBy?.username).toBe('joao.agent');
    await h.sim.waitForWebhooks((log) => log.some((a) => a.type === 'LivechatSessionForwarded' && a.rid === room.rocketchatRoomId && a.status === 200), 5_000);
    expect(await forwards(room.id)).toEqual([
      { from: { agent: expect.objectContaining({ username: 'ana.agent' }), departmentId: null }, to: { agent: expect.objectContaining({ username: 'joao.agent' }), departmentId: null } },
    ]);
  });

  it('answers 409 for an offline or unknown agent and for the agent already serving, changing nothing', async () => {
    const room = await servedByAna();
    const offline = await h.post(`/v1/rooms/${room.id}/transfer`, { agentId: agentId('joao.agent') }).expect(409);
    expect(offline.body.details.rocketchat.reason).toBe('error-user-is-offline');
    await h.post(`/v1/rooms/${room.id}/transfer`, { agentId: 'NoSuchAgent123' }).expect(409);
    h.sim.setAgentStatus('ana.agent', 'online');
    const same = await h.post(`/v1/rooms/${room.id}/transfer`, { agentId: agentId('ana.agent') }).expect(409);
    expect(same.body.details.rocketchat.reason).toBe('error-selected-agent-room-agent-are-same');
    expect(await forwards(room.id)).toEqual([]);
    expect((await h.get(`/v1/rooms/${room.id}`)).body.agent.username).toBe('ana.agent');
  });

  it('answers 400 for no target, both targets or a malformed id, and 409 for a closed room', async () => {
    const room = await h.room();
    for (const body of [{}, { agentId: 'a1', departmentId: 'dep-sales' }, { agentId: '' }, { agentId: 'has space' }, { agentId: 7 }, { agentId: 'a1', extra: 1 }]) {
      const res = await h.post(`/v1/rooms/${room.id}/transfer`, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
    await h.post(`/v1/rooms/${room.id}/transfer`, { agentId: agentId('ana.agent') }).expect(409);
  });
});

describe('POST /v1/rooms/:id/transfer { agentId } without Rocket.Chat credentials', () => {
  it('answers 422 credentials-missing before calling Rocket.Chat; a department transfer still works', async () => {
    const h = await startHarness();
    try {
      const room = await h.room();
      const res = await h.post(`/v1/rooms/${room.id}/transfer`, { agentId: 'aG7nT2pQ9wXe4RbKm' }).expect(422);
      expect(res.body).toMatchObject({ statusCode: 422, details: { reason: 'credentials-missing' } });
      expect(res.body.message).toContain('ROCKETCHAT_USER_ID');
      await h.post(`/v1/rooms/${room.id}/transfer`, { departmentId: 'dep-sales' }).expect(200);
    } finally {
      await h.close();
    }
  });

  it('answers refused credentials as 422 naming them, with Rocket.Chat\'s 401 in details, changing nothing', async () => {
    const h = await startHarness({ env: { ROCKETCHAT_USER_ID: 'nobody', ROCKETCHAT_AUTH_TOKEN: 'wrong-token' } });
    try {
      const room = await h.room();
      const res = await h.post(`/v1/rooms/${room.id}/transfer`, { agentId: 'aG7nT2pQ9wXe4RbKm' });
      expect(res.status).toBe(422);
      expect(res.body.message).toContain("refused omnigate's credentials");
      expect(res.body.details.rocketchat).toMatchObject({ status: 401 });
      expect((await h.t.db.query(`SELECT count(*)::int AS n FROM room_history WHERE room_id = $1 AND type = 'forwarded'`, [room.id])).rows[0].n).toBe(0);
    } finally {
      await h.close();
    }
  });
});
