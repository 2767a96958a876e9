import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { MARIA, restClient, type Json } from './support';

/** What the simulator does differently by the Rocket.Chat version it plays. */
describe('Rocket.Chat simulator by version', () => {
  let sim: RocketChatSimulator;
  let rc: ReturnType<typeof restClient>;
  let rid: string;

  const start = async (version: string, extra: Parameters<typeof RocketChatSimulator.start>[0] = {}): Promise<void> => {
    sim = await RocketChatSimulator.start({ version, rateLimit: false, ...extra });
    rc = restClient(sim);
    await rc.registerVisitor(MARIA);
    rid = (await rc.openRoom(MARIA.token)).rid;
  };
  afterEach(() => sim?.stop());

  it('answers GET /api/info (major.minor when anonymous) and GET /sim/info with the version played', async () => {
    await start('7.10.3');
    expect((await rc.get('/api/info')).body).toEqual({ version: '7.10', success: true });
    expect((await rc.get('/api/info', { 'X-User-Id': 'u', 'X-Auth-Token': 't' })).body).toEqual({ version: '7.10.3', success: true });
    expect((await rc.get('/sim/info')).body).toMatchObject({ version: '7.10.3', roomTransfer: true, departmentTransfer: false, webhook: { maxAttempts: 10 } });
  });

  it('refuses a malformed version at start', async () => {
    await expect(RocketChatSimulator.start({ version: 'eight' })).rejects.toThrow(/not a Rocket.Chat version/);
  });

  describe('POST livechat/room.transfer', () => {
    it('7.10.3: moves the room and answers the projected room; a closed room gives { success:false }', async () => {
      await start('7.10.3');
      sim.setAgentStatus('ana.agent', 'online');
      const moved = await rc.post('/api/v1/livechat/room.transfer', { rid, token: MARIA.token, department: 'dep-sales' });
      expect(moved.body).toMatchObject({ success: true, room: { _id: rid, departmentId: 'dep-sales', open: true, servedBy: { username: 'ana.agent' } } });
      await rc.post('/api/v1/livechat/room.close', { rid, token: MARIA.token });
      expect((await rc.post('/api/v1/livechat/room.transfer', { rid, token: MARIA.token, department: 'dep-support' })).body).toEqual({ success: false });
      const extra = await rc.post('/api/v1/livechat/room.transfer', { rid, token: MARIA.token, department: 'dep-support', comment: 'x' });
      expect(extra.body).toEqual({ success: false, error: 'must NOT have additional properties [invalid-params]', errorType: 'invalid-params' });
    });

    it("8.8.1: is an unknown route (Hono's text 404) and changes nothing", async () => {
      await start('8.8.1');
      const res = await fetch(`${sim.url}/api/v1/livechat/room.transfer`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rid, token: MARIA.token, department: 'dep-sales' }),
      });
      expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([404, 'text/plain; charset=UTF-8', '404 Not Found']);
      expect(sim.store.rooms.get(rid)!.departmentId).toBe(MARIA.department);
    });
  });

  describe('POST livechat/visitor/department.transfer', () => {
    const transfer = (body: Json) => rc.post('/api/v1/livechat/visitor/department.transfer', body);

    it('8.8.1: answers exactly { success: true } and fires Forwarded, then Queued when nobody is online', async () => {
      const receiver: Json[] = [];
      await start('8.8.1');
      sim.configureWebhook({ url: 'http://127.0.0.1:9/unused' });
      const sent = sim.waitForWebhooks((log) => log.some((a) => a.type === 'LivechatSessionQueued' && a.payload.departmentId === 'dep-sales'), 3000);
      expect((await transfer({ rid, token: MARIA.token, department: 'dep-sales' })).body).toEqual({ success: true });
      const log = await sent;
      receiver.push(...log.filter((a) => a.attempt === 1).map((a) => ({ type: a.type, departmentId: a.payload.departmentId, oldDepartmentId: a.payload.oldDepartmentId })));
      expect(receiver).toEqual([
        { type: 'LivechatSessionForwarded', departmentId: 'dep-sales', oldDepartmentId: 'dep-support' },
        { type: 'LivechatSessionQueued', departmentId: 'dep-sales', oldDepartmentId: undefined },
      ]);
      expect(sim.store.messages(rid).at(-1)).toMatchObject({ t: 'livechat_transfer_history', token: MARIA.token });
    });

    it('8.8.1: answers its errors as API.v1.failure(code): no errorType', async () => {
      await start('8.8.1');
      expect((await transfer({ rid, token: 'nobody', department: 'dep-sales' })).body).toEqual({ success: false, error: 'invalid-token' });
      expect((await transfer({ rid: 'no-room', token: MARIA.token, department: 'dep-sales' })).body).toEqual({ success: false, error: 'error-invalid-room' });
      expect((await transfer({ rid, token: MARIA.token, department: 'dep-nowhere' })).body).toMatchObject({ success: false, errorType: 'error-invalid-department' });
      await rc.post('/api/v1/livechat/room.close', { rid, token: MARIA.token });
      const closed = await transfer({ rid, token: MARIA.token, department: 'dep-sales' });
      expect([closed.status, closed.body]).toEqual([400, { success: false, error: 'This_conversation_is_already_closed' }]);
    });

    it('8.8.1: refuses a bad body the way typed routes do (error-invalid-params, no suffix)', async () => {
      await start('8.8.1');
      const missing = await transfer({ rid, token: MARIA.token });
      expect([missing.status, missing.body]).toEqual([400, { success: false, errorType: 'error-invalid-params', error: "must have required property 'department'" }]);
    });

    it('7.10.3: does not exist', async () => {
      await start('7.10.3');
      const res = await transfer({ rid, token: MARIA.token, department: 'dep-sales' });
      expect(res.status).toBe(404);
    });
  });

  it('answers a 403 with "unauthorized" before 8.0 and "forbidden" from 8.0', async () => {
    for (const [version, text] of [['7.10.3', 'unauthorized'], ['8.0.0', 'forbidden']] as const) {
      await start(version);
      const res = await fetch(`${sim.url}/api/v1/livechat/upload/${rid}`, { method: 'POST', headers: { 'x-visitor-token': 'nobody' }, body: new FormData() });
      expect([res.status, await res.json()]).toEqual([403, { success: false, error: text }]);
      await sim.stop();
    }
  });

  describe('two concurrent GET livechat/room for one visitor without an open room', () => {
    const race = async (version: string) => {
      sim = await RocketChatSimulator.start({ version, rateLimit: false, roomCreateDelayMs: 100 });
      rc = restClient(sim);
      await rc.registerVisitor(MARIA);
      return Promise.all([rc.openRoom(MARIA.token), rc.openRoom(MARIA.token)]);
    };

    it('8.2.1: both create a room, so the visitor has two open rooms', async () => {
      const answers = await race('8.2.1');
      expect(answers.map((a) => [a.status, a.body.newRoom])).toEqual([[200, true], [200, true]]);
      expect(sim.store.roomsOf(MARIA.token).filter((r) => r.open)).toHaveLength(2);
    });

    it("8.3.0: the unique index fails the second insert with Mongo's duplicate-key text", async () => {
      const answers = await race('8.3.0');
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 400]);
      const failed = answers.find((a) => a.status === 400)!;
      expect(failed.body).toEqual({ success: false, error: expect.stringMatching(/^E11000 duplicate key error collection: rocketchat\.rocketchat_room /) });
      expect(sim.store.roomsOf(MARIA.token).filter((r) => r.open)).toHaveLength(1);
    });
  });
});
