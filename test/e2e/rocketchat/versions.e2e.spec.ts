import { startHarness, type Harness } from '../../support/harness';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

/**
 * The main flows against Rocket.Chat as people run it: 7.10.3 (the old webhook sender, awaited
 * inside the chat action; `livechat/room.transfer`) and the newest 8.x (fire-and-forget sender;
 * `livechat/visitor/department.transfer`). Feature code never sees the version: the client picks.
 */
describe.each(['7.10.3', '8.8.1'])('against Rocket.Chat %s', (version) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ version, webhook: true, env: { ROCKETCHAT_TIMEOUT_MS: '3000' } });
  });
  afterAll(() => h.close());

  const settled = () => waitFor(() => h.sim.webhooksIdle(), (idle) => idle, 10_000);

  it('learns the version and reports it in /health/ready and as a metric', async () => {
    // an anonymous GET /api/info answers major.minor only, as Rocket.Chat does
    const reported = version.split('.').slice(0, 2).join('.');
    const ready = await waitFor(
      async () => (await h.t.http.get('/health/ready')).body,
      (b) => b?.details?.rocketchat?.version === reported,
    );
    expect(ready.details.rocketchat).toMatchObject({ reachable: true, version: reported, versionSource: 'learnt', reportedVersion: reported });
    const metrics = await h.t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain(`omnigate_rocketchat_version_info{version="${reported}"} 1`);
  });

  it('registers a visitor, opens rooms without and with a department, exchanges messages, reads the history', async () => {
    const { token } = await h.visitor({ email: 'maria@example.com', customFields: [{ key: 'plan', value: 'gold', overwrite: true }] });
    const plain = await h.post('/v1/rooms', { visitorToken: token }).expect(201);
    expect(plain.body.status).toBe('queued');
    const sent = await h.post(`/v1/rooms/${plain.body.id}/messages`, { text: 'Olá', attachments: [{ url: 'https://shop.example.com/o/1', title: 'Order 1' }] }).expect(201);
    expect(sent.body.deliveryStatus).toBe('sent');
    await h.sim.takeRoom(plain.body.rocketchatRoomId, 'ana.agent');
    await h.sim.sendAgentMessage(plain.body.rocketchatRoomId, { text: 'Hi, Ana here' });
    await settled();
    const history = await waitFor(
      async () => (await h.get(`/v1/rooms/${plain.body.id}/messages`).expect(200)).body.items.map((m: { authorType: string; text: string }) => `${m.authorType}:${m.text}`),
      (items) => items.includes('agent:Hi, Ana here'),
    );
    expect(history).toEqual(expect.arrayContaining([expect.stringMatching(/^visitor:Olá/), 'agent:Hi, Ana here']));
    expect((await h.post(`/v1/rooms/${plain.body.id}/sync`, {}).expect(200)).body).toMatchObject({ inserted: 0 });
    await h.post(`/v1/rooms/${plain.body.id}/close`, {}).expect(200);

    const other = await h.visitor();
    const withDepartment = await h.post('/v1/rooms', { visitorToken: other.token, departmentId: 'dep-sales' }).expect(201);
    expect(withDepartment.body.departmentId).toBe('dep-sales');
  });

  it('transfers to a department through the endpoint this version has', async () => {
    const room = await h.room({ visitor: { department: 'dep-support' } });
    const moved = await h.post(`/v1/rooms/${room.id}/transfer`, { departmentId: 'dep-sales' }).expect(200);
    expect(moved.body).toMatchObject({ departmentId: 'dep-sales', status: 'queued' });
    expect(h.sim.store.rooms.get(room.rocketchatRoomId)?.departmentId).toBe('dep-sales');
    await settled();
    const forwarded = (await h.get(`/v1/rooms/${room.id}`).expect(200)).body.events.filter((e: { type: string }) => e.type === 'forwarded');
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0].data).toMatchObject({ from: { departmentId: 'dep-support' }, to: { departmentId: 'dep-sales' } });
  });

  it('closes as the visitor', async () => {
    const room = await h.room();
    const closed = await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'visitor' });
    expect(h.sim.store.rooms.get(room.rocketchatRoomId)?.open).toBe(false);
    await settled();
    expect((await h.get(`/v1/rooms/${room.id}`).expect(200)).body.events.filter((e: { type: string }) => e.type === 'closed')).toHaveLength(1);
  });

  it('sends an offline message', async () => {
    const res = await h.post('/v1/offline-messages', { name: 'Maria', email: 'maria@example.com', message: 'Call me back' }).expect(201);
    expect(res.body).toMatchObject({ email: 'maria@example.com' });
  });
});
