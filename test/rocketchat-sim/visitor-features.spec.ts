import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { MARIA, restClient, WebhookReceiver, type Json } from './support';

const API = { 'X-User-Id': 'sim-api-user', 'X-Auth-Token': 'sim-api-token' };

describe('Rocket.Chat simulator: values refused, visitor edits, surveys, files and the authenticated routes', () => {
  let sim: RocketChatSimulator;
  let rc: ReturnType<typeof restClient>;
  let receiver: WebhookReceiver;
  let rid: string;

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    sim = await RocketChatSimulator.start({ rateLimit: false, webhook: { url: receiver.url() } });
    rc = restClient(sim);
    await rc.registerVisitor(MARIA);
    rid = (await rc.openRoom(MARIA.token)).rid;
  });
  afterEach(async () => {
    await sim.stop();
    await receiver.stop();
  });

  const put = (id: string, body: unknown) => rc.call('PUT', `/api/v1/livechat/message/${id}`, body);
  const del = (id: string, body: unknown) => rc.call('DELETE', `/api/v1/livechat/message/${id}`, body);
  const sent = async (msg: string): Promise<string> => String(((await rc.send(MARIA.token, rid, msg)).body.message as Json)._id);

  describe('POST livechat/visitor with a department', () => {
    it('refuses one that is neither an id nor a name, and takes a name as its id', async () => {
      const answer = await rc.registerVisitor({ token: 'v2', department: 'Nowhere' });
      expect([answer.status, answer.body]).toEqual([
        400,
        { success: false, error: 'The provided department is invalid [error-invalid-department]', errorType: 'error-invalid-department' },
      ]);
      expect(((await rc.registerVisitor({ token: 'v2', department: 'Sales' })).body.visitor as Json).department).toBe('dep-sales');
    });

    it('ignores an agentId that names no agent on GET livechat/room', async () => {
      await rc.registerVisitor({ token: 'v3' });
      const answer = await rc.openRoom('v3', '&agentId=nobody');
      expect(answer.body).toMatchObject({ success: true, newRoom: true });
    });
  });

  describe('GET livechat/config departments', () => {
    it('lists enabled departments with agents, with their form flags', async () => {
      sim.updateDepartment('dep-sales', { showOnOfflineForm: false });
      const config = (await rc.get('/api/v1/livechat/config')).body.config as Json;
      expect(config.departments).toEqual([
        { _id: 'dep-support', name: 'Support', showOnRegistration: true, showOnOfflineForm: true },
        { _id: 'dep-sales', name: 'Sales', showOnRegistration: true, showOnOfflineForm: false },
      ]);
      sim.updateDepartment('dep-support', { enabled: false });
      expect(((await rc.get('/api/v1/livechat/config')).body.config as Json).departments).toEqual([
        { _id: 'dep-sales', name: 'Sales', showOnRegistration: true, showOnOfflineForm: false },
      ]);
    });

    it('leaves out a department without agents', async () => {
      const bare = await RocketChatSimulator.start({ rateLimit: false, departments: [{ _id: 'd1', name: 'Empty' }], agents: [] });
      const config = (await restClient(bare).get('/api/v1/livechat/config')).body.config as Json;
      expect(config.departments).toEqual([]);
      await bare.stop();
    });
  });

  describe('PUT livechat/message/:_id', () => {
    it('edits the visitor own message, also in a closed room, and sends a Message webhook with editedAt', async () => {
      const id = await sent('helo');
      await rc.post('/api/v1/livechat/room.close', { token: MARIA.token, rid });
      const answer = await put(id, { token: MARIA.token, rid, msg: 'hello' });
      expect(answer.body).toMatchObject({ success: true, message: { _id: id, msg: 'hello', editedAt: expect.any(String), editedBy: { username: 'guest-1' } } });
      const log = await sim.waitForWebhooks((l) => l.filter((a) => a.type === 'Message').length === 2, 2000);
      const edited = log.filter((a) => a.type === 'Message')[1]!.payload.messages as Json[];
      expect(edited[0]).toMatchObject({ _id: id, msg: 'hello', editedAt: expect.any(String) });
    });

    it('answers invalid-token, invalid-room, invalid-message and error-action-not-allowed', async () => {
      const id = await sent('mine');
      const agentMessage = await sim.sendAgentMessage(rid, { text: 'theirs', agent: 'ana.agent' });
      expect((await put(id, { token: 'nobody', rid, msg: 'x' })).body).toEqual({ success: false, error: 'invalid-token' });
      expect((await put(id, { token: MARIA.token, rid: 'nope', msg: 'x' })).body).toEqual({ success: false, error: 'invalid-room' });
      expect((await put('nope', { token: MARIA.token, rid, msg: 'x' })).body).toEqual({ success: false, error: 'invalid-message' });
      expect((await put(agentMessage._id, { token: MARIA.token, rid, msg: 'x' })).body).toEqual({ success: false, error: 'error-action-not-allowed' });
      expect((await put(id, { token: MARIA.token, rid })).body).toMatchObject({ success: false, errorType: 'invalid-params' });
    });

    it('refuses every edit with messageEditing off', async () => {
      const locked = await RocketChatSimulator.start({ rateLimit: false, messageEditing: false, messageDeleting: false });
      const client = restClient(locked);
      await client.registerVisitor({ token: 'v1' });
      const room = await client.openRoom('v1');
      const id = String(((await client.send('v1', room.rid, 'hi')).body.message as Json)._id);
      expect((await client.call('PUT', `/api/v1/livechat/message/${id}`, { token: 'v1', rid: room.rid, msg: 'x' })).body.error).toBe('error-action-not-allowed');
      expect((await client.call('DELETE', `/api/v1/livechat/message/${id}`, { token: 'v1', rid: room.rid })).body.error).toBe('error-action-not-allowed');
      await locked.stop();
    });
  });

  describe('DELETE livechat/message/:_id', () => {
    it('removes the message from the room and answers its _id and a ts', async () => {
      const id = await sent('oops');
      const before = sim.store.rooms.get(rid)!.msgs;
      const answer = await del(id, { token: MARIA.token, rid });
      expect(answer.body).toEqual({ success: true, message: { _id: id, ts: expect.any(String) } });
      expect(sim.store.message(id)).toBeUndefined();
      expect(sim.store.rooms.get(rid)!.msgs).toBe(before - 1);
      expect((await del(id, { token: MARIA.token, rid })).body).toEqual({ success: false, error: 'invalid-message' });
    });
  });

  describe('POST livechat/room.survey', () => {
    it('stores the accepted items, drops the others, last write wins, closed room too', async () => {
      const first = await rc.post('/api/v1/livechat/room.survey', {
        token: MARIA.token,
        rid,
        data: [
          { name: 'satisfaction', value: '5' },
          { name: 'agentResposiveness', value: '9' },
          { name: 'shoeSize', value: '42' },
          { name: 'additionalFeedback', value: 'great' },
        ],
      });
      expect(first.body).toEqual({ success: true, rid, data: { satisfaction: '5', additionalFeedback: 'great' } });
      await rc.post('/api/v1/livechat/room.close', { token: MARIA.token, rid });
      await rc.post('/api/v1/livechat/room.survey', { token: MARIA.token, rid, data: [{ name: 'satisfaction', value: '3' }] });
      expect((await rc.get(`/sim/rooms/${rid}`)).body.surveyFeedback).toEqual({ satisfaction: '3', additionalFeedback: 'great' });
      const none = await rc.post('/api/v1/livechat/room.survey', { token: MARIA.token, rid, data: [{ name: 'x', value: '1' }] });
      expect(none.body).toEqual({ success: false, error: 'invalid-data' });
      expect((await rc.post('/api/v1/livechat/room.survey', { token: 'nobody', rid, data: [{ name: 'satisfaction', value: '1' }] })).body.error).toBe('invalid-token');
    });
  });

  describe('GET /file-upload/<id>/<name>', () => {
    it('serves an agent file to the visitor of its room only', async () => {
      const message = await sim.sendAgentMessage(rid, { text: '', agent: 'ana.agent', file: { name: 'nota.txt', type: 'text/plain', content: 'nota' } });
      const link = `${sim.url}/file-upload/${message.file!._id}/nota.txt`;
      const ok = await fetch(`${link}?rc_room_type=l&rc_rid=${rid}&rc_token=${MARIA.token}`);
      expect([ok.status, ok.headers.get('content-type'), ok.headers.get('content-length'), await ok.text()]).toEqual([200, 'text/plain', '4', 'nota']);
      const cookie = await fetch(link, { headers: { cookie: `rc_room_type=l; rc_rid=${rid}; rc_token=${MARIA.token}` } });
      expect(cookie.status).toBe(200);
      const bare = await fetch(link);
      expect([bare.status, await bare.text()]).toEqual([403, '']);
      expect((await fetch(`${link}?rc_room_type=l&rc_rid=${rid}&rc_token=someone`)).status).toBe(403);

      // a second room of the same visitor does not unlock the first room's file (CVE-2026-48616's fix)
      await rc.post('/api/v1/livechat/room.close', { token: MARIA.token, rid });
      const other = (await rc.openRoom(MARIA.token)).rid;
      expect((await fetch(`${link}?rc_room_type=l&rc_rid=${other}&rc_token=${MARIA.token}`)).status).toBe(403);
      expect((await fetch(`${sim.url}/file-upload/nope/x.txt`)).status).toBe(404);
    });

    it('lets any room of the token through before the fix (7.10.12)', async () => {
      const old = await RocketChatSimulator.start({ version: '7.10.12', rateLimit: false });
      const client = restClient(old);
      await client.registerVisitor({ token: 'v1' });
      const first = await client.openRoom('v1');
      const message = await old.sendAgentMessage(first.rid, { text: '', agent: 'ana.agent', file: { name: 'a.txt', type: 'text/plain', content: 'a' } });
      await client.post('/api/v1/livechat/room.close', { token: 'v1', rid: first.rid });
      const second = await client.openRoom('v1');
      expect((await fetch(`${old.url}/file-upload/${message.file!._id}/a.txt?rc_room_type=l&rc_rid=${second.rid}&rc_token=v1`)).status).toBe(200);
      await old.stop();
    });
  });

  describe('POST livechat/room.forward (authenticated)', () => {
    it('answers 401 without or with wrong credentials', async () => {
      const missing = await rc.post('/api/v1/livechat/room.forward', { roomId: rid, departmentId: 'dep-sales' });
      expect([missing.status, missing.body]).toEqual([401, { success: false, error: 'You must be logged in to do this.' }]);
      const wrong = await rc.post('/api/v1/livechat/room.forward', { roomId: rid }, { 'X-User-Id': 'sim-api-user', 'X-Auth-Token': 'bad' });
      expect(wrong.status).toBe(401);
    });

    it('forwards to an online agent (Forwarded with oldServedBy) and to a department', async () => {
      sim.setAgentStatus('joao.agent', 'online');
      await sim.takeRoom(rid, 'ana.agent');
      const joao = sim.listAgents().find((a) => a.username === 'joao.agent')!;
      expect((await rc.post('/api/v1/livechat/room.forward', { roomId: rid, userId: joao._id }, API)).body).toEqual({ success: true });
      const log = await sim.waitForWebhooks((l) => l.some((a) => a.type === 'LivechatSessionForwarded'), 2000);
      expect(log.find((a) => a.type === 'LivechatSessionForwarded')!.payload).toMatchObject({ servedBy: { username: 'joao.agent' }, oldServedBy: { username: 'ana.agent' } });
      expect((await rc.post('/api/v1/livechat/room.forward', { roomId: rid, departmentId: 'dep-sales' }, API)).body).toEqual({ success: true });
      expect(sim.store.rooms.get(rid)).toMatchObject({ departmentId: 'dep-sales' });
    });

    it('answers the transfer errors', async () => {
      const ana = sim.listAgents().find((a) => a.username === 'ana.agent')!;
      const forward = (body: Json) => rc.post('/api/v1/livechat/room.forward', body, API).then((a) => a.body);
      expect(await forward({ roomId: 'nope', departmentId: 'dep-sales' })).toEqual({ success: false, error: 'error-invalid-room' });
      expect(await forward({ roomId: rid, userId: ana._id })).toEqual({ success: false, error: 'error-user-is-offline' });
      expect(await forward({ roomId: rid })).toEqual({ success: false, error: 'error-forwarding-chat' });
      expect(await forward({ roomId: rid, departmentId: 'nope' })).toEqual({ success: false, error: 'error-invalid-department' });
      expect(await forward({ roomId: rid, other: 1 })).toMatchObject({ success: false, errorType: 'invalid-params' });
      await rc.post('/api/v1/livechat/room.close', { token: MARIA.token, rid });
      expect(await forward({ roomId: rid, departmentId: 'dep-sales' })).toEqual({ success: false, error: 'This_conversation_is_already_closed' });
    });

    it('answers 403 for a user without the permissions, and the 7.x 401 body', async () => {
      const limited = await RocketChatSimulator.start({ version: '7.10.4', rateLimit: false, apiUsers: [{ userId: 'u1', authToken: 't1', permissions: ['view-l-room'] }] });
      const client = restClient(limited);
      const denied = await client.post('/api/v1/livechat/room.forward', { roomId: 'x' }, { 'X-User-Id': 'u1', 'X-Auth-Token': 't1' });
      expect([denied.status, denied.body]).toEqual([403, { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' }]);
      const anonymous = await client.post('/api/v1/livechat/room.forward', { roomId: 'x' });
      expect(anonymous.body).toEqual({ success: false, error: 'You must be logged in to do this.', status: 'error', message: 'You must be logged in to do this.' });
      await limited.stop();
    });
  });

  describe('GET livechat/department (authenticated)', () => {
    it('lists departments with paging and filters', async () => {
      expect((await rc.get('/api/v1/livechat/department')).status).toBe(401);
      sim.updateDepartment('dep-sales', { enabled: false });
      const all = await rc.get('/api/v1/livechat/department', API);
      expect(all.body).toMatchObject({ success: true, count: 2, offset: 0, total: 2 });
      expect((all.body.departments as Json[])[0]).toEqual({
        _id: 'dep-support',
        name: 'Support',
        enabled: true,
        description: '',
        showOnRegistration: true,
        showOnOfflineForm: true,
        email: '',
        type: 'd',
        numAgents: 2,
      });
      const enabled = await rc.get('/api/v1/livechat/department?enabled=true', API);
      expect((enabled.body.departments as Json[]).map((d) => d._id)).toEqual(['dep-support']);
      const text = await rc.get('/api/v1/livechat/department?text=sal&count=1&offset=0', API);
      expect(text.body).toMatchObject({ count: 1, total: 1, departments: [{ _id: 'dep-sales' }] });
      expect((await rc.get('/api/v1/livechat/department?bogus=1', API)).body).toMatchObject({ success: false, errorType: 'invalid-params' });
    });
  });
});
