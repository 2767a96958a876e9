import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { ID_PATTERN } from '../../tools/rocketchat-sim/ids';
import { waitFor } from '../support/wait-for';
import { MARIA, restClient, type Json } from './support';

describe('Rocket.Chat simulator REST', () => {
  let sim: RocketChatSimulator;
  let rc: ReturnType<typeof restClient>;

  beforeEach(async () => {
    sim = await RocketChatSimulator.start({ rateLimit: false });
    rc = restClient(sim);
  });
  afterEach(() => sim.stop());

  describe('POST livechat/visitor', () => {
    it('creates by token with a guest-N username and updates on the next call', async () => {
      const created = await rc.registerVisitor({ token: 'v1', name: 'Ana' });
      const visitor = created.body.visitor as Json;
      expect(visitor).toMatchObject({ token: 'v1', name: 'Ana', username: 'guest-1', status: 'online' });
      expect(String(visitor._id)).toMatch(ID_PATTERN);
      const updated = (await rc.registerVisitor({ token: 'v1', name: 'Ana B', email: 'ana@example.com', phone: '+351911' })).body.visitor as Json;
      expect(updated).toMatchObject({ _id: visitor._id, username: 'guest-1', name: 'Ana B', visitorEmails: [{ address: 'ana@example.com' }], phone: [{ phoneNumber: '+351911' }] });
    });

    it('keeps an existing custom field when overwrite is false and skips undefined keys', async () => {
      await rc.registerVisitor({ token: 'v1', customFields: [{ key: 'plan', value: 'gold', overwrite: true }] });
      const answer = await rc.registerVisitor({
        token: 'v1',
        customFields: [
          { key: 'plan', value: 'silver', overwrite: false },
          { key: 'address', value: 'Rua A', overwrite: false },
          { key: 'shoeSize', value: '42', overwrite: true },
        ],
      });
      expect((answer.body.visitor as Json).livechatData).toEqual({ plan: 'gold', address: 'Rua A' });
      const overwritten = await rc.registerVisitor({ token: 'v1', customFields: [{ key: 'plan', value: 'silver', overwrite: true }] });
      expect((overwritten.body.visitor as Json).livechatData).toEqual({ plan: 'silver', address: 'Rua A' });
    });

    it('refuses an empty token and a body without visitor', async () => {
      expect((await rc.registerVisitor({ token: '  ' })).body).toEqual({ success: false, error: 'Token cannot be empty [error-invalid-token]', errorType: 'error-invalid-token' });
      const missing = await rc.post('/api/v1/livechat/visitor', {});
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe("Match error: Missing key 'visitor'");
    });

    it('GET and DELETE by token; delete refuses while a room is open', async () => {
      await rc.registerVisitor({ token: 'v1' });
      expect((await rc.get('/api/v1/livechat/visitor/v1')).body.visitor).toMatchObject({ token: 'v1' });
      const { rid } = await rc.openRoom('v1');
      const refused = await rc.del('/api/v1/livechat/visitor/v1');
      expect(refused.body).toEqual({ success: false, error: 'Cannot remove visitors with opened rooms [visitor-has-open-rooms]', errorType: 'visitor-has-open-rooms' });
      await rc.post('/api/v1/livechat/room.close', { rid, token: 'v1' });
      const removed = await rc.del('/api/v1/livechat/visitor/v1');
      expect(removed.body).toMatchObject({ success: true, visitor: { _id: expect.any(String), ts: expect.any(String) } });
      expect(sim.store.rooms.size).toBe(0);
      expect((await rc.get('/api/v1/livechat/visitor/v1')).status).toBe(400);
    });
  });

  describe('GET livechat/room', () => {
    it('returns the open room instead of opening a second one', async () => {
      await rc.registerVisitor({ token: 'v1' });
      const first = await rc.openRoom('v1');
      const again = await rc.openRoom('v1');
      expect([first.body.newRoom, again.body.newRoom]).toEqual([true, false]);
      expect(again.rid).toBe(first.rid);
      expect((await rc.openRoom('v1', `&rid=${first.rid}`)).body.newRoom).toBe(false);
    });

    it('queues without an online agent and routes to an online agent of the visitor department', async () => {
      await rc.registerVisitor({ token: 'queued', department: 'dep-sales' });
      const queued = (await rc.openRoom('queued')).body.room as Json;
      expect(queued.servedBy).toBeUndefined();
      expect(queued.queuedAt).toEqual(expect.any(String));

      sim.setAgentStatus('joao.agent', 'online'); // support only
      await rc.registerVisitor({ token: 'sales', department: 'dep-sales' });
      expect(((await rc.openRoom('sales')).body.room as Json).servedBy).toBeUndefined();
      sim.setAgentStatus('ana.agent', 'online');
      await rc.registerVisitor({ token: 'sales2', department: 'dep-sales' });
      expect(((await rc.openRoom('sales2')).body.room as Json).servedBy).toMatchObject({ username: 'ana.agent' });
    });

    it('serves the requested agentId when that agent is online', async () => {
      sim.setAgentStatus('ana.agent', 'online');
      sim.setAgentStatus('joao.agent', 'online');
      const joao = sim.listAgents().find((a) => a.username === 'joao.agent')!;
      await rc.registerVisitor({ token: 'v1' });
      expect(((await rc.openRoom('v1', `&agentId=${joao._id}`)).body.room as Json).servedBy).toMatchObject({ _id: joao._id });
    });

    it('answers invalid-token, invalid-room and unknown query keys', async () => {
      expect((await rc.openRoom('nobody')).body).toEqual({ success: false, error: 'invalid-token' });
      await rc.registerVisitor({ token: 'v1' });
      expect((await rc.openRoom('v1', '&rid=nope')).body).toEqual({ success: false, error: 'invalid-room' });
      expect((await rc.openRoom('v1', '&department=dep-sales')).body.error).toBe('Match error: Unknown key in field department');
    });

    it('answers no-agent-online when chats without agents are not accepted', async () => {
      const strict = await RocketChatSimulator.start({ rateLimit: false, acceptChatsWithNoAgents: false });
      const client = restClient(strict);
      await client.registerVisitor({ token: 'v1' });
      expect((await client.openRoom('v1')).body).toEqual({ success: false, error: 'Sorry, no online agents [no-agent-online]', errorType: 'no-agent-online' });
      await strict.stop();
    });
  });

  describe('messages', () => {
    let rid: string;
    beforeEach(async () => {
      await rc.registerVisitor(MARIA);
      rid = (await rc.openRoom(MARIA.token)).rid;
    });

    it('keeps our _id, refuses a repeated one without storing it, and reads it back', async () => {
      expect((await rc.send(MARIA.token, rid, 'one', 'our-id-1')).body.message).toMatchObject({ _id: 'our-id-1', msg: 'one', token: MARIA.token });
      const again = await rc.send(MARIA.token, rid, 'changed', 'our-id-1');
      expect([again.status, again.body]).toEqual([400, { success: false }]);
      expect(sim.store.messages(rid).filter((m) => m._id === 'our-id-1').map((m) => m.msg)).toEqual(['one']);
      const read = await rc.get(`/api/v1/livechat/message/our-id-1?token=${MARIA.token}&rid=${rid}`);
      expect(read.body.message).toMatchObject({ _id: 'our-id-1', msg: 'one' });
      expect((await rc.get(`/api/v1/livechat/message/other?token=${MARIA.token}&rid=${rid}`)).body).toEqual({ success: false, error: 'invalid-message' });
    });

    it('answers invalid-token, invalid-room, room-closed and invalid-params', async () => {
      expect((await rc.send('nobody', rid, 'x')).body).toEqual({ success: false, error: 'invalid-token' });
      expect((await rc.send(MARIA.token, 'nope', 'x')).body).toEqual({ success: false, error: 'invalid-room' });
      expect((await rc.post('/api/v1/livechat/message', { token: MARIA.token, rid })).body).toEqual({
        success: false,
        error: "must have required property 'msg' [invalid-params]",
        errorType: 'invalid-params',
      });
      await rc.post('/api/v1/livechat/room.close', { rid, token: MARIA.token });
      expect((await rc.send(MARIA.token, rid, 'x')).body).toEqual({ success: false, error: 'room-closed' });
    });

    it('pages history newest first with an exclusive end, limit and offset', async () => {
      for (const text of ['m1', 'm2', 'm3', 'm4']) await rc.send(MARIA.token, rid, text);
      const history = (query: string) => rc.get(`/api/v1/livechat/messages.history/${rid}?token=${MARIA.token}${query}`).then((a) => (a.body.messages as Json[]).map((m) => m.t ?? m.msg));
      expect(await history('')).toEqual(['m4', 'm3', 'm2', 'm1', 'livechat-started']);
      const m3 = sim.store.messages(rid).find((m) => m.msg === 'm3')!;
      expect(await history(`&end=${m3.ts.toISOString()}&limit=2`)).toEqual(['m2', 'm1']);
      expect(await history('&limit=1&offset=1')).toEqual(['m3']);
    });

    it('closes as the visitor once: Closed by visitor, then room-closed', async () => {
      expect((await rc.post('/api/v1/livechat/room.close', { rid, token: MARIA.token })).body).toEqual({ rid, comment: 'Closed by visitor', success: true });
      expect((await rc.post('/api/v1/livechat/room.close', { rid, token: MARIA.token })).body).toEqual({ success: false, error: 'room-closed' });
      expect(sim.store.rooms.get(rid)).toMatchObject({ open: false, closer: 'visitor', closedBy: { username: 'guest-1' } });
      expect(sim.store.messages(rid).at(-1)).toMatchObject({ t: 'livechat-close', msg: 'Closed by visitor', token: MARIA.token });
    });

    it('uploads a file as multipart and serves it at title_link', async () => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('%PDF-1.4 hello')], { type: 'application/pdf' }), 'pedido.pdf');
      form.append('description', 'the order');
      const res = await fetch(`${sim.url}/api/v1/livechat/upload/${rid}`, { method: 'POST', headers: { 'x-visitor-token': MARIA.token }, body: form });
      const body = (await res.json()) as Json;
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ success: true, rid, file: { name: 'pedido.pdf', type: 'application/pdf', size: 14 }, files: [{ name: 'pedido.pdf' }] });
      const link = String(((body.attachments as Json[])[0] as Json).title_link);
      // FileUpload_ProtectFiles: the visitor names its room and token
      expect(await (await fetch(`${sim.url}${link}?rc_room_type=l&rc_rid=${rid}&rc_token=${MARIA.token}`)).text()).toBe('%PDF-1.4 hello');

      const forbidden = await fetch(`${sim.url}/api/v1/livechat/upload/${rid}`, { method: 'POST', headers: { 'x-visitor-token': 'nobody' }, body: form });
      // 8.x says `forbidden` (7.x `unauthorized`: versions.spec.ts)
      expect([forbidden.status, await forbidden.json()]).toEqual([403, { success: false, error: 'forbidden' }]);
    });

    it('refuses an upload over the size cap', async () => {
      const small = await RocketChatSimulator.start({ rateLimit: false, maxUploadBytes: 1024 });
      const client = restClient(small);
      await client.registerVisitor({ token: 'v1' });
      const room = await client.openRoom('v1');
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(4096)]), 'big.bin');
      const res = await fetch(`${small.url}/api/v1/livechat/upload/${room.rid}`, { method: 'POST', headers: { 'x-visitor-token': 'v1' }, body: form });
      expect([res.status, ((await res.json()) as Json).errorType]).toEqual([400, 'error-file-too-large']);
      expect(small.store.messages(room.rid).filter((m) => m.file)).toEqual([]);
      await small.stop();
    });
  });

  it('takes an offline message', async () => {
    const sent = await rc.post('/api/v1/livechat/offline.message', { name: 'Carlos', email: 'carlos@example.com', message: 'Abrem amanhã?' });
    expect(sent.body).toEqual({ message: 'Livechat offline message sent', success: true });
    expect((await rc.post('/api/v1/livechat/offline.message', { name: 'Carlos', email: 'nope', message: 'x' })).status).toBe(400);
  });

  it('serves /api/info, livechat/config and a 404 for unknown paths', async () => {
    expect((await rc.get('/api/info')).body).toEqual({ version: '8.8', success: true });
    expect((await rc.get('/api/info', { 'X-User-Id': 'u', 'X-Auth-Token': 't' })).body).toEqual({ version: '8.8.1', success: true });
    const config = (await rc.get('/api/v1/livechat/config')).body.config as Json;
    expect(config).toMatchObject({ enabled: true, online: false, settings: expect.any(Object), theme: expect.any(Object), messages: expect.any(Object), survey: expect.any(Object) });
    const unknown = await fetch(`${sim.url}/api/v1/livechat/nothing`);
    expect([unknown.status, await unknown.text()]).toEqual([404, '404 Not Found']);
  });

  describe('rate limiting', () => {
    it('limits per route with X-RateLimit headers (reset in epoch ms) and lets calls through after the reset', async () => {
      const limited = await RocketChatSimulator.start({ rateLimit: { rules: { 'POST livechat/visitor': { calls: 2, windowMs: 150 } } } });
      const client = restClient(limited);
      const first = await client.registerVisitor({ token: 'a' });
      expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
      await client.registerVisitor({ token: 'b' });
      const refused = await client.registerVisitor({ token: 'c' });
      expect(refused.status).toBe(429);
      const reset = Number(refused.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThan(Date.now() - 10);
      expect(reset).toBeLessThan(Date.now() + 1000);
      expect(refused.body.error).toContain('You must wait 1 seconds');
      // other routes have their own bucket (default 10 per 60 s)
      expect((await client.get('/api/v1/livechat/visitor/a')).headers.get('x-ratelimit-limit')).toBe('10');
      const later = await waitFor(() => client.registerVisitor({ token: 'c' }), (a) => a.status === 200, 2000);
      expect(later.status).toBe(200);
      await limited.stop();
    });

    it('is not lifted by X-User-Id / X-Auth-Token on public livechat routes', async () => {
      const limited = await RocketChatSimulator.start({ rateLimit: { rules: { 'POST livechat/visitor': { calls: 1, windowMs: 60_000 } } } });
      const auth = { 'X-User-Id': 'bot', 'X-Auth-Token': 'pat' };
      const client = restClient(limited);
      expect((await client.call('POST', '/api/v1/livechat/visitor', { visitor: { token: 'a' } }, auth)).status).toBe(200);
      expect((await client.call('POST', '/api/v1/livechat/visitor', { visitor: { token: 'a' } }, auth)).status).toBe(429);
      await limited.stop();
    });

    it('does not limit when disabled', async () => {
      for (let i = 0; i < 12; i++) expect((await rc.registerVisitor({ token: `t${i}` })).status).toBe(200);
    });
  });
});
