import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { waitFor } from '../support/wait-for';
import { MARIA, restClient, WebhookReceiver, type Json } from './support';

describe('Rocket.Chat simulator faults', () => {
  let receiver: WebhookReceiver;
  let sim: RocketChatSimulator;
  let rc: ReturnType<typeof restClient>;
  let rid: string;

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    sim = await RocketChatSimulator.start({ rateLimit: false, webhook: { url: receiver.url(), httpTimeoutMs: 100, retryDelayMs: 20, maxAttempts: 3 } });
    rc = restClient(sim);
    await rc.registerVisitor(MARIA);
    rid = (await rc.openRoom(MARIA.token)).rid;
    await waitFor(() => receiver.types(), (t) => t.length === 2, 2000);
    receiver.received.length = 0;
  });
  afterEach(async () => {
    await sim.stop();
    await receiver.stop();
  });

  const sentTexts = (): string[] => receiver.received.filter((r) => r.body.type === 'Message').map((r) => String((r.body.messages as Json[])[0]!.msg));

  describe('REST', () => {
    it('refuses connections on the same port, then listens again', async () => {
      const url = sim.url;
      await sim.faults.refuseConnections(true);
      const outcome = (): Promise<string | undefined> => fetch(`${url}/api/info`).then((r) => `HTTP ${r.status}`, (e: unknown) => (e as { cause?: { code?: string } }).cause?.code);
      // A pooled keep-alive socket is reset first (UND_ERR_SOCKET); new connections are refused.
      expect(await waitFor(outcome, (code) => code === 'ECONNREFUSED', 1000, 5)).toBe('ECONNREFUSED');
      await sim.faults.refuseConnections(false);
      expect(sim.url).toBe(url);
      expect((await fetch(`${url}/api/info`)).status).toBe(200);
    });

    it('holds the next call of a route until released, then handles and answers it', async () => {
      const held = sim.faults.holdNext('POST livechat/message');
      expect((await rc.get('/api/v1/livechat/config')).status).toBe(200);
      const sending = rc.send(MARIA.token, rid, 'held');
      await held.reached;
      await new Promise((r) => setTimeout(r, 50));
      expect(sim.store.messages(rid).map((m) => m.msg)).not.toContain('held');
      held.release();
      expect((await sending).status).toBe(200);
      expect(sim.store.messages(rid).map((m) => m.msg)).toContain('held');
      // clear() lets a call still held go
      const again = sim.faults.holdNext();
      const pending = rc.get('/api/v1/livechat/config');
      await again.reached;
      sim.faults.clear();
      expect((await pending).status).toBe(200);
    });

    it('fails the next n calls with a Rocket.Chat-like body, optionally for one route only', async () => {
      sim.faults.failNext(2, 503);
      expect((await rc.get('/api/v1/livechat/config')).status).toBe(503);
      const second = await rc.send(MARIA.token, rid, 'lost');
      expect([second.status, second.body]).toEqual([503, { success: false, error: 'Service Unavailable' }]);
      expect((await rc.send(MARIA.token, rid, 'kept')).status).toBe(200);
      expect(sim.store.messages(rid).map((m) => m.msg)).not.toContain('lost');

      sim.faults.failNext(1, 500, 'POST livechat/message');
      expect((await rc.get('/api/v1/livechat/config')).status).toBe(200);
      expect((await rc.send(MARIA.token, rid, 'x')).body).toEqual({ success: false, error: 'Internal server error' });
    });

    it('timeoutNext stores the message and its webhook but never answers', async () => {
      sim.faults.timeoutNext(1, 'POST livechat/message');
      const lost = await fetch(`${sim.url}/api/v1/livechat/message`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: MARIA.token, rid, msg: 'answer lost', _id: 'om-lost-1' }),
        signal: AbortSignal.timeout(150),
      }).catch((e: unknown) => (e as Error).name);
      expect(lost).toBe('TimeoutError');
      expect(sim.store.message('om-lost-1')).toMatchObject({ msg: 'answer lost' });
      await waitFor(sentTexts, (t) => t.includes('answer lost'), 2000);
      // the client's retry: a repeated _id is refused, the lookup finds it
      expect((await rc.send(MARIA.token, rid, 'answer lost', 'om-lost-1')).body).toEqual({ success: false });
      expect((await rc.get(`/api/v1/livechat/message/om-lost-1?token=${MARIA.token}&rid=${rid}`)).body.message).toMatchObject({ _id: 'om-lost-1' });
    });

    it('adds latency to each REST answer', async () => {
      sim.faults.setLatency(120);
      const began = Date.now();
      await rc.get('/api/info');
      expect(Date.now() - began).toBeGreaterThanOrEqual(115);
    });
  });

  describe('webhooks', () => {
    const send = async (...texts: string[]): Promise<void> => {
      for (const text of texts) await rc.send(MARIA.token, rid, text);
    };

    it('drops the next n events (logged as dropped, never sent)', async () => {
      sim.faults.webhooks.dropNext(1);
      await send('dropped', 'delivered');
      await waitFor(sentTexts, (t) => t.includes('delivered'), 2000);
      expect(sentTexts()).toEqual(['delivered']);
      expect(sim.store.webhookLog.find((a) => a.outcome === 'dropped')).toMatchObject({ type: 'Message', attempt: 0 });
    });

    it('duplicates the next n events', async () => {
      sim.faults.webhooks.duplicateNext(1);
      await send('twice', 'once');
      await waitFor(sentTexts, (t) => t.length === 3, 2000);
      expect(sentTexts()).toEqual(['twice', 'twice', 'once']);
    });

    it('holds the next n events and delivers them shuffled', async () => {
      sim.faults.webhooks.holdAndReorder(3);
      await send('a', 'b', 'c');
      await waitFor(sentTexts, (t) => t.length === 3, 2000);
      expect([...sentTexts()].sort()).toEqual(['a', 'b', 'c']);
      expect(sentTexts()).not.toEqual(['a', 'b', 'c']);
    });

    it('pauses and resumes in the original order', async () => {
      sim.faults.webhooks.pause();
      await send('p1', 'p2');
      expect(sentTexts()).toEqual([]);
      expect(sim.webhooksIdle()).toBe(false);
      sim.faults.webhooks.resume();
      await waitFor(sentTexts, (t) => t.length === 2, 2000);
      expect(sentTexts()).toEqual(['p1', 'p2']);
    });
  });

  describe('over HTTP (/sim/faults)', () => {
    it('applies failNext, latency and webhook faults, and clears them', async () => {
      await rc.post('/sim/faults', { failNext: { count: 1, status: 502, route: 'POST livechat/message' }, webhooks: { dropNext: 1 } });
      expect((await rc.send(MARIA.token, rid, 'x')).status).toBe(502);
      await rc.send(MARIA.token, rid, 'dropped over http');
      await rc.post('/sim/faults', { webhooks: { dropNext: 5 } });
      await rc.post('/sim/faults', { clear: true });
      await rc.send(MARIA.token, rid, 'after clear');
      await waitFor(sentTexts, (t) => t.includes('after clear'), 2000);
      expect(sentTexts()).toEqual(['after clear']);
      expect(sim.store.webhookLog.filter((a) => a.outcome === 'dropped')).toHaveLength(1);
    });

    it('refuses connections for a while, then listens again', async () => {
      await rc.post('/sim/faults', { refuseConnectionsForMs: 100 });
      const refused = await waitFor(
        () => fetch(`${sim.url}/api/info`).then(() => 'up', () => 'refused'),
        (state) => state === 'refused',
        2000,
        5,
      );
      expect(refused).toBe('refused');
      expect(await waitFor(() => fetch(`${sim.url}/api/info`).then((r) => r.status, () => 0), (s) => s === 200, 2000)).toBe(200);
    });
  });
});
