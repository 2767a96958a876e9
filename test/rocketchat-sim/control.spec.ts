import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { boundaryOf, parseMultipart } from '../../tools/rocketchat-sim/multipart';
import { MARIA, restClient, WebhookReceiver, type Json } from './support';

describe('Rocket.Chat simulator control API (/sim) and agent console', () => {
  let sim: RocketChatSimulator;
  let rc: ReturnType<typeof restClient>;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    sim = await RocketChatSimulator.start({ rateLimit: false, webhook: { url: receiver.url(), token: 't' } });
    rc = restClient(sim);
  });
  afterEach(async () => {
    await sim.stop();
    await receiver.stop();
  });

  const rooms = async (): Promise<Json[]> => (await fetch(`${sim.url}/sim/rooms`).then((r) => r.json())) as Json[];

  it('seeds two departments and two offline agents with Rocket.Chat-like ids', async () => {
    expect((await rc.get('/sim/departments')).body).toEqual([
      { _id: 'dep-support', name: 'Support', enabled: true, showOnRegistration: true, showOnOfflineForm: true },
      { _id: 'dep-sales', name: 'Sales', enabled: true, showOnRegistration: true, showOnOfflineForm: true },
    ]);
    const agents = (await fetch(`${sim.url}/sim/agents`).then((r) => r.json())) as Json[];
    expect(agents.map((a) => [a.username, a.name, a.status, a.departmentIds])).toEqual([
      ['ana.agent', 'Ana Costa', 'offline', ['dep-support', 'dep-sales']],
      ['joao.agent', 'Joao Lima', 'offline', ['dep-support']],
    ]);
    expect(agents.every((a) => /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/.test(String(a._id)))).toBe(true);
  });

  it('drives a room through take, reply, forward and close over HTTP', async () => {
    await rc.registerVisitor(MARIA);
    const { rid } = await rc.openRoom(MARIA.token);
    expect((await rooms())[0]).toMatchObject({ _id: rid, status: 'queued', visitorName: 'Maria Souza', departmentId: 'dep-support' });

    expect((await rc.post(`/sim/rooms/${rid}/take`, { agent: 'joao.agent' })).body).toMatchObject({ status: 'open', servedBy: { username: 'joao.agent' } });
    expect((await rc.post(`/sim/rooms/${rid}/messages`, { text: 'Olá!' })).body).toMatchObject({ msg: 'Olá!', u: { username: 'joao.agent' } });
    const file = await rc.post(`/sim/rooms/${rid}/messages`, { text: '', file: { name: 'nota.txt', type: 'text/plain', content: 'nota' } });
    expect(file.body).toMatchObject({ file: { name: 'nota.txt', size: 4 } });
    expect((await rc.post(`/sim/rooms/${rid}/forward`, { departmentId: 'dep-sales' })).body).toMatchObject({ status: 'queued', departmentId: 'dep-sales' });
    expect((await rc.post(`/sim/agents/ana.agent/status`, { status: 'online' })).body).toMatchObject({ status: 'online' });
    expect((await rc.post(`/sim/rooms/${rid}/forward`, { agent: 'ana.agent' })).body).toMatchObject({ servedBy: { username: 'ana.agent' } });
    expect((await rc.post(`/sim/rooms/${rid}/close`, { by: 'agent', comment: 'Resolvido', tags: ['ok'] })).body).toMatchObject({ status: 'closed', closer: 'user', tags: ['ok'] });

    const messages = (await fetch(`${sim.url}/sim/rooms/${rid}/messages`).then((r) => r.json())) as Json[];
    expect(messages.map((m) => m.t ?? m.msg)).toEqual(['livechat-started', 'Olá!', '', 'livechat_transfer_history', 'livechat_transfer_history', 'livechat-close']);
    expect((await rc.post(`/sim/rooms/${rid}/messages`, { text: 'too late' })).status).toBe(400);

    await sim.waitForWebhooks((l) => l.some((a) => a.type === 'LivechatSession'), 2000);
    const log = (await fetch(`${sim.url}/sim/webhooks`).then((r) => r.json())) as Json[];
    expect(log.map((a) => a.type)).toEqual(expect.arrayContaining(['LivechatSessionTaken', 'LivechatSessionForwarded', 'LivechatSessionQueued', 'Message']));
  });

  it('changes webhook settings and resets to the seed', async () => {
    const config = await rc.post('/sim/webhook-config', { events: { Livechat_webhook_on_start: false }, retryDelayMs: 7 });
    expect(config.body).toMatchObject({ url: receiver.url(), token: 't', retryDelayMs: 7, maxAttempts: 5, events: { Livechat_webhook_on_start: false } });
    await rc.registerVisitor({ token: 'v1' });
    await rc.openRoom('v1');
    await rc.post('/sim/agents/joao.agent/status', { status: 'online' });
    expect((await rc.post('/sim/reset', {})).body).toEqual({ ok: true });
    expect(await rooms()).toEqual([]);
    expect(sim.store.webhookLog).toEqual([]);
    expect(sim.listAgents().every((a) => a.status === 'offline')).toBe(true);
    expect(sim.webhookSettings()).toMatchObject({ retryDelayMs: 7 });
  });

  it('answers 400 with a reason for impossible controls', async () => {
    expect((await rc.post('/sim/rooms/nope/take', { agent: 'ana.agent' })).body).toEqual({ error: 'no room nope' });
    expect((await rc.post('/sim/agents/nobody/status', { status: 'online' })).status).toBe(400);
    expect((await rc.get('/sim/nothing')).status).toBe(404);
  });

  it('closes a queued room as a named agent, and says why without one', async () => {
    await rc.registerVisitor({ token: 'v1' });
    const { rid } = await rc.openRoom('v1');
    const refused = await rc.post(`/sim/rooms/${rid}/close`, { by: 'agent' });
    expect(refused).toMatchObject({ status: 400, body: { error: `room ${rid} is queued (no serving agent): name the agent who closes it` } });
    const closed = await rc.post(`/sim/rooms/${rid}/close`, { by: 'agent', agent: 'ana.agent', comment: 'spam' });
    expect(closed.body).toMatchObject({ status: 'closed', closer: 'user', closedBy: { username: 'ana.agent' }, closeComment: 'spam' });
  });

  it('toggles a department and hides it from livechat/config', async () => {
    expect((await rc.post('/sim/departments/dep-sales', { enabled: false })).body).toMatchObject({ _id: 'dep-sales', enabled: false });
    const config = (await rc.get('/api/v1/livechat/config')).body.config as Json;
    expect((config.departments as Json[]).map((d) => d._id)).toEqual(['dep-support']);
    expect((await rc.post('/sim/departments/nope', { enabled: false })).status).toBe(400);
  });

  it('keeps errors on the console page until dismissed and labels agents who serve while offline', async () => {
    const html = await (await fetch(sim.consoleUrl)).text();
    expect(html).toContain('An error stays until dismissed');
    expect(html).toContain("'Take: choose the agent who takes the room first'");
    expect(html).toContain("' (serving '");
    expect(html).not.toMatch(/\$\('error'\)\.textContent = ''/);
  });

  it('serves the agent console with stable test ids', async () => {
    const res = await fetch(sim.consoleUrl);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    for (const id of ['error', 'error-dismiss', 'take-button', 'take-agent', 'reply-input', 'reply-button', 'forward-button', 'forward-agent', 'forward-department', 'close-button', 'close-comment']) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain('data-testid="room-');
    expect(html).toContain('data-testid="agent-status-');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });
});

describe('multipart parser', () => {
  it('reads one file and text fields from what fetch sends', async () => {
    const form = new FormData();
    form.append('msg', 'see attached');
    form.append('file', new Blob([Buffer.from([0, 1, 2, 13, 10, 255])], { type: 'image/png' }), 'p.png');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const parts = parseMultipart(body, boundaryOf(request.headers.get('content-type') ?? '')!);
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['msg', undefined, undefined],
      ['file', 'p.png', 'image/png'],
    ]);
    expect([...parts[1]!.data]).toEqual([0, 1, 2, 13, 10, 255]);
    expect(parts[0]!.data.toString()).toBe('see attached');
  });
});
