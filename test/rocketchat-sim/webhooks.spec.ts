import { RocketChatSimulator, type WebhookConfig } from '../../tools/rocketchat-sim';
import { waitFor } from '../support/wait-for';
import { MARIA, restClient, WebhookReceiver, type Json } from './support';

describe('Rocket.Chat simulator webhook delivery', () => {
  let receiver: WebhookReceiver;
  let sim: RocketChatSimulator;
  let rc: ReturnType<typeof restClient>;

  /** Rocket.Chat 8.8.1 (the default) unless `version` says otherwise. */
  const start = async (webhook: Partial<WebhookConfig> = {}, version?: string): Promise<void> => {
    sim = await RocketChatSimulator.start({ version, rateLimit: false, webhook: { url: receiver.url(), token: 'secret', httpTimeoutMs: 1000, retryDelayMs: 40, maxAttempts: 3, ...webhook } });
    rc = restClient(sim);
  };
  /** A room with the session events already delivered, so tests look at one Message event. */
  const roomReady = async (): Promise<string> => {
    await rc.registerVisitor(MARIA);
    const { rid } = await rc.openRoom(MARIA.token);
    await sim.waitForWebhooks((log) => log.some((a) => a.type === 'LivechatSessionQueued' && a.outcome !== 'retry'), 2000);
    return rid;
  };
  const attemptsOf = (type: string) => sim.store.webhookLog.filter((a) => a.type === type);

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    await sim?.stop();
    await receiver.stop();
  });

  it('posts one JSON body per event with X-RocketChat-Livechat-Token, in the order things happened', async () => {
    await start();
    const rid = await roomReady();
    await rc.send(MARIA.token, rid, 'hello');
    await sim.takeRoom(rid, 'joao.agent');
    await sim.sendAgentMessage(rid, { text: 'hi, Joao here' });
    await sim.closeRoom(rid, { by: 'agent', comment: 'bye' });
    await waitFor(() => receiver.types(), (t) => t.includes('LivechatSession'), 2000);
    expect(receiver.types()).toEqual(['LivechatSessionStart', 'LivechatSessionQueued', 'Message', 'LivechatSessionTaken', 'Message', 'LivechatSession']);
    expect(receiver.received.every((r) => r.headers['x-rocketchat-livechat-token'] === 'secret' && r.headers['content-type'] === 'application/json')).toBe(true);
    const [visitorMessage, agentMessage] = receiver.received.filter((r) => r.body.type === 'Message').map((r) => (r.body.messages as Json[])[0]!);
    expect(visitorMessage).not.toHaveProperty('agentId');
    expect(agentMessage).toMatchObject({ msg: 'hi, Joao here', agentId: sim.listAgents().find((a) => a.username === 'joao.agent')!._id });
    const close = receiver.received.at(-1)!.body;
    expect(close).toMatchObject({ closer: 'user', closedBy: { username: 'joao.agent' } });
    expect((close.messages as Json[]).map((m) => [m.msg, m.closingMessage])).toEqual([['hello', undefined], ['hi, Joao here', undefined], ['bye', true]]);
  });

  it('sends no token header when no secret is set', async () => {
    await start({ token: undefined });
    await roomReady();
    expect(receiver.received[0]!.headers).not.toHaveProperty('x-rocketchat-livechat-token');
  });

  it('counts only 200 as success and keeps its body as crmData for later payloads', async () => {
    await start();
    receiver.respond = () => ({ status: 200, body: '{"ticket":"CRM-1"}' });
    const rid = await roomReady();
    expect(sim.store.rooms.get(rid)!.crmData).toBe('{"ticket":"CRM-1"}');
    await rc.send(MARIA.token, rid, 'hello');
    const message = await sim.waitForWebhooks((log) => log.some((a) => a.type === 'Message'), 2000);
    expect(message.find((a) => a.type === 'Message')!.payload.crmData).toBe('{"ticket":"CRM-1"}');
  });

  it.each([201, 400, 404])('does not retry HTTP %i: logged once as failed and dropped', async (status) => {
    await start();
    receiver.respond = () => ({ status });
    await roomReady();
    const settled = await waitFor(() => sim.webhooksIdle(), (idle) => idle, 2000);
    expect(settled).toBe(true);
    expect(attemptsOf('LivechatSessionStart').map((a) => [a.attempt, a.status, a.outcome])).toEqual([[1, status, 'failed']]);
    expect(receiver.received.filter((r) => r.body.type === 'LivechatSessionStart')).toHaveLength(1);
  });

  it.each([500, 503, 429])('retries HTTP %i up to maxAttempts, retryDelayMs apart', async (status) => {
    await start({ maxAttempts: 3, retryDelayMs: 40 });
    receiver.respond = (body) => (body.type === 'LivechatOfflineMessage' ? { status } : { status: 200 });
    await rc.post('/api/v1/livechat/offline.message', { name: 'C', email: 'c@example.com', message: 'hi' });
    const log = await sim.waitForWebhooks((l) => l.some((a) => a.outcome === 'gave-up'), 2000);
    const attempts = log.filter((a) => a.type === 'LivechatOfflineMessage');
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([[1, status, 'retry'], [2, status, 'retry'], [3, status, 'gave-up']]);
    const received = receiver.received.map((r) => r.at);
    expect(received).toHaveLength(3);
    for (let i = 1; i < received.length; i++) expect(received[i]! - received[i - 1]!).toBeGreaterThanOrEqual(38);
  });

  it('stops retrying at the first 200', async () => {
    await start({ maxAttempts: 5 });
    receiver.respond = (_body, n) => (n < 3 ? { status: 500 } : { status: 200, body: 'ok' });
    await rc.post('/api/v1/livechat/offline.message', { name: 'C', email: 'c@example.com', message: 'hi' });
    const log = await sim.waitForWebhooks((l) => l.some((a) => a.outcome === 'success'), 2000);
    expect(log.map((a) => a.outcome)).toEqual(['retry', 'retry', 'success']);
  });

  it('retries a timeout (no answer within httpTimeoutMs) and a refused connection', async () => {
    await start({ httpTimeoutMs: 50, retryDelayMs: 20, maxAttempts: 2 });
    receiver.respond = () => 'hang';
    await rc.post('/api/v1/livechat/offline.message', { name: 'C', email: 'c@example.com', message: 'hi' });
    const log = await sim.waitForWebhooks((l) => l.some((a) => a.outcome === 'gave-up'), 2000);
    expect(log.map((a) => [a.error, a.outcome])).toEqual([['timeout', 'retry'], ['timeout', 'gave-up']]);

    const url = receiver.url();
    await receiver.stop();
    receiver = await WebhookReceiver.start();
    sim.reset();
    sim.configureWebhook({ url }); // nobody listens there any more
    await rc.post('/api/v1/livechat/offline.message', { name: 'C', email: 'c@example.com', message: 'hi' });
    const refused = await sim.waitForWebhooks((l) => l.some((a) => a.outcome === 'gave-up'), 2000);
    expect(refused.map((a) => [a.error, a.outcome])).toEqual([['ECONNREFUSED', 'retry'], ['ECONNREFUSED', 'gave-up']]);
  });

  it('honours the event switches', async () => {
    await start({ events: { Livechat_webhook_on_start: false, Livechat_webhook_on_visitor_message: false } });
    const rid = await roomReady();
    await rc.send(MARIA.token, rid, 'not sent');
    await sim.takeRoom(rid, 'ana.agent');
    await sim.sendAgentMessage(rid, { text: 'sent' });
    await waitFor(() => receiver.types(), (t) => t.includes('Message'), 2000);
    expect(receiver.types()).toEqual(['LivechatSessionQueued', 'LivechatSessionTaken', 'Message']);

    sim.configureWebhook({ events: { Livechat_webhook_on_agent_message: false, Livechat_webhook_on_close: false } });
    await sim.sendAgentMessage(rid, { text: 'not sent either' });
    await sim.closeRoom(rid, { by: 'agent' });
    sim.configureWebhook({ events: { Livechat_webhook_on_offline_msg: true } });
    await rc.post('/api/v1/livechat/offline.message', { name: 'C', email: 'c@example.com', message: 'marker' });
    await waitFor(() => receiver.types(), (t) => t.includes('LivechatOfflineMessage'), 2000);
    expect(receiver.types()).toEqual(['LivechatSessionQueued', 'LivechatSessionTaken', 'Message', 'LivechatOfflineMessage']);
  });

  it('on 7.10.3 makes the REST call wait for the first attempt, except the close', async () => {
    await start({ httpTimeoutMs: 150, retryDelayMs: 10_000 }, '7.10.3');
    const rid = await roomReady();
    receiver.respond = () => 'hang';
    let began = Date.now();
    await rc.send(MARIA.token, rid, 'slow webhook');
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    began = Date.now();
    await rc.post('/api/v1/livechat/room.close', { rid, token: MARIA.token });
    expect(Date.now() - began).toBeLessThan(140);
  });

  it('on 8.8.1 does not make the REST call wait: room and message events are fire-and-forget', async () => {
    await start({ httpTimeoutMs: 1000 });
    receiver.respond = () => 'hang';
    await rc.registerVisitor(MARIA);
    let began = Date.now();
    const { rid } = await rc.openRoom(MARIA.token);
    await rc.send(MARIA.token, rid, 'not waited for');
    expect(Date.now() - began).toBeLessThan(500);
    expect(sim.webhookSettings()).toMatchObject({ awaitFirstAttempt: false, retryOn: 'transient', maxAttempts: 3 });
    began = Date.now();
    sim.configureWebhook({ awaitFirstAttempt: true }); // an explicit setting overrides the version's profile
    await rc.send(MARIA.token, rid, 'waited for');
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
  });

  it('is fire-and-forget with awaitFirstAttempt: false, whatever the version', async () => {
    await start({ httpTimeoutMs: 1000, awaitFirstAttempt: false }, '7.10.3');
    receiver.respond = () => 'hang';
    await rc.registerVisitor(MARIA);
    const began = Date.now();
    await rc.openRoom(MARIA.token);
    expect(Date.now() - began).toBeLessThan(500);
  });

  it('fires LivechatEdit for a closed room, LeadCapture, and an inactivity close by rocket.cat', async () => {
    await start();
    const rid = await roomReady();
    await sim.editRoomInfo(rid, { topic: 'open: no event' });
    await sim.captureLead(MARIA.token, { email: 'maria2@example.com' });
    await sim.closeRoom(rid, { by: 'inactivity' });
    await sim.editRoomInfo(rid, { topic: 'after close', tags: ['late'] });
    await waitFor(() => receiver.types(), (t) => t.includes('LivechatEdit'), 2000);
    expect(receiver.types().slice(2)).toEqual(['LeadCapture', 'LivechatSession', 'LivechatEdit']);
    const [lead, close, edit] = receiver.received.slice(2).map((r) => r.body);
    expect(lead!.messages).toEqual([]);
    expect((lead!.visitor as Json).email).toEqual([{ address: 'maria@example.com' }, { address: 'maria2@example.com' }]);
    expect(close).toMatchObject({ closer: 'user', closedBy: { _id: 'rocket.cat', username: 'rocket.cat' } });
    expect((close!.messages as Json[]).at(-1)).toMatchObject({ closingMessage: true, agentId: 'rocket.cat', msg: 'Closed automatically by the system' });
    expect(edit).toMatchObject({ topic: 'after close', tags: ['late'] });
  });

  describe('the sender by version (PR #36793, 7.11.0 and 7.10.4)', () => {
    const offlineMessage = () => rc.post('/api/v1/livechat/offline.message', { name: 'C', email: 'c@example.com', message: 'hi' });
    const outcomes = (log: readonly { attempt: number; status?: number; outcome: string }[]) => log.map((a) => [a.attempt, a.status, a.outcome]);

    it('7.10.3 retries a 4xx, 10 attempts in all by default, and blocks the REST call on the first', async () => {
      await start({ maxAttempts: undefined, retryDelayMs: 5, httpTimeoutMs: 300 }, '7.10.3');
      expect(sim.webhookSettings()).toMatchObject({ maxAttempts: 10, retryOn: 'any-non-200', awaitFirstAttempt: true });
      receiver.respond = (body) => (body.type === 'LivechatOfflineMessage' ? { status: 404 } : { status: 200 });
      await offlineMessage();
      const log = await sim.waitForWebhooks((l) => l.some((a) => a.outcome === 'gave-up'), 3000);
      expect(outcomes(log)).toEqual([...Array.from({ length: 9 }, (_, i) => [i + 1, 404, 'retry']), [10, 404, 'gave-up']]);

      await rc.registerVisitor(MARIA);
      receiver.respond = () => ({ status: 200 });
      const { rid } = await rc.openRoom(MARIA.token);
      receiver.respond = () => 'hang';
      const began = Date.now();
      await rc.send(MARIA.token, rid, 'held up by the receiver');
      expect(Date.now() - began).toBeGreaterThanOrEqual(280);
    });

    it('8.8.1 drops a 4xx, retries a 5xx 5 times in all by default, and does not block', async () => {
      await start({ maxAttempts: undefined, retryDelayMs: 5 });
      expect(sim.webhookSettings()).toMatchObject({ maxAttempts: 5, retryOn: 'transient', awaitFirstAttempt: false });
      receiver.respond = () => ({ status: 400 });
      await offlineMessage();
      await waitFor(() => sim.webhooksIdle() && sim.store.webhookLog.length > 0, (done) => done, 2000);
      expect(outcomes(sim.store.webhookLog)).toEqual([[1, 400, 'failed']]);

      sim.reset();
      receiver.respond = () => ({ status: 502 });
      await offlineMessage();
      const log = await sim.waitForWebhooks((l) => l.some((a) => a.outcome === 'gave-up'), 3000);
      expect(outcomes(log)).toEqual([[1, 502, 'retry'], [2, 502, 'retry'], [3, 502, 'retry'], [4, 502, 'retry'], [5, 502, 'gave-up']]);
    });

    it('7.10.4 already has the new sender; 7.10.3 does not', async () => {
      await start({ maxAttempts: undefined }, '7.10.4');
      expect(sim.webhookSettings()).toMatchObject({ maxAttempts: 5, retryOn: 'transient', awaitFirstAttempt: false });
      await sim.stop();
      await start({ maxAttempts: undefined, retryOn: 'transient' }, '7.10.3');
      expect(sim.webhookSettings()).toMatchObject({ maxAttempts: 10, retryOn: 'transient', awaitFirstAttempt: true });
    });
  });
});
