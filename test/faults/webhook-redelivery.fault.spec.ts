import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RocketChatSimulator, type JsonObject, type WebhookAttempt, type WebhookEventType } from '../../tools/rocketchat-sim';
import { WebhookDispatcher } from '../../tools/rocketchat-sim/webhooks';
import { restClient } from '../rocketchat-sim/support';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { KillProxy, seededShuffle } from './support/kill-proxy';
import { storeSnapshot } from './support/store-snapshot';
import { recordFaultCase } from './support/summary';

const TOKEN = 'faults-webhook-token-0123456789';
const CONVERSATIONS = 6;
const COPIES = 3;
const SEED = 8;

interface Captured {
  type: WebhookEventType;
  rid?: string;
  payload: JsonObject;
}

/** Rocket.Chat's side of the story: records every webhook the simulator sends, in order, answering 200. */
async function captureServer(): Promise<{ server: Server; url: string; events: Captured[] }> {
  const events: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonObject;
      events.push({ type: payload.type as WebhookEventType, rid: typeof payload._id === 'string' ? payload._id : undefined, payload });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, events };
}

/**
 * Scripted conversations on the simulator: queued, taken, replies, some forwarded to an online
 * agent of another department, some forwarded to a department with nobody online (queued → taken →
 * forwarded → queued → taken), most closed.
 */
async function scriptConversations(sim: RocketChatSimulator): Promise<void> {
  const rc = restClient(sim);
  sim.setAgentStatus('ana.agent', 'online');
  for (let c = 0; c < CONVERSATIONS; c++) {
    const token = `faults-visitor-${c}`;
    expect((await rc.registerVisitor({ token, name: `Visitor ${c}`, department: 'dep-support' })).status).toBe(200);
    const { rid, status } = await rc.openRoom(token);
    expect(status).toBe(200);
    await rc.send(token, rid, `conversation ${c}: my order is late`);
    if (!sim.store.rooms.get(rid)!.servedBy) await sim.takeRoom(rid, 'joao.agent');
    await sim.sendAgentMessage(rid, { text: `conversation ${c}: which order number?` });
    await rc.send(token, rid, `conversation ${c}: order ${48200 + c}`);
    if (c % 2 === 0) {
      await sim.forward(rid, { departmentId: 'dep-sales' });
      await sim.sendAgentMessage(rid, { text: `conversation ${c}: it ships today` });
    } else if (c % 3 === 1) {
      // nobody of dep-sales online: Forwarded without servedBy, then Queued, then a take
      sim.setAgentStatus('ana.agent', 'offline');
      await sim.forward(rid, { departmentId: 'dep-sales' });
      await sim.takeRoom(rid, 'ana.agent');
      sim.setAgentStatus('ana.agent', 'online');
      await sim.sendAgentMessage(rid, { text: `conversation ${c}: sales here` });
    }
    if (c < CONVERSATIONS - 1) await sim.closeRoom(rid, { by: c % 3 === 0 ? 'visitor' : 'agent', comment: `done ${c}`, tags: c % 2 ? ['delivery'] : [] });
  }
  expect(await waitFor(() => sim.webhooksIdle(), (idle) => idle, 10_000)).toBe(true);
}

async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
}

describe('fault: every webhook delivered three times, shuffled, 10% of connections killed', () => {
  let sim: RocketChatSimulator;
  let capture: Awaited<ReturnType<typeof captureServer>>;
  let inOrder: TestApp;
  let faulted: TestApp;
  let proxy: KillProxy;

  beforeAll(async () => {
    capture = await captureServer();
    sim = await RocketChatSimulator.start({ rateLimit: false, webhook: { url: capture.url, token: TOKEN } });
    inOrder = await startTestApp({ ROCKETCHAT_WEBHOOK_TOKEN: TOKEN });
    faulted = await startTestApp({ ROCKETCHAT_WEBHOOK_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await proxy?.stop();
    await sim?.stop();
    await new Promise((resolve) => capture?.server.close(resolve));
    await inOrder?.close();
    await faulted?.close();
  });

  it('ends in the state of an in-order delivery into a fresh database', async () => {
    await scriptConversations(sim);
    const events = capture.events;
    expect(events.length).toBeGreaterThan(CONVERSATIONS * 6);

    const inOrderUrl = await listen(inOrder);
    for (const e of events) {
      const res = await fetch(`${inOrderUrl}/webhooks/rocketchat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-RocketChat-Livechat-Token': TOKEN },
        body: JSON.stringify(e.payload),
      });
      expect({ type: e.type, status: res.status }).toEqual({ type: e.type, status: 200 });
    }
    const expected = await storeSnapshot(inOrder.db);

    const faultedUrl = new URL(await listen(faulted));
    proxy = await KillProxy.start(Number(faultedUrl.port), 0.1, SEED);
    const log: WebhookAttempt[] = [];
    // the simulator's own webhook sender: retries on a network error, first attempts in order per room
    const sender = new WebhookDispatcher(log, () => undefined, {
      url: `http://127.0.0.1:${proxy.port()}/webhooks/rocketchat`,
      token: TOKEN,
      httpTimeoutMs: 5000,
      retryDelayMs: 20,
      maxAttempts: 10,
      awaitFirstAttempt: false,
    });
    const deliveries = seededShuffle(events.flatMap((e) => Array.from({ length: COPIES }, () => e)), SEED);
    for (const e of deliveries) await sender.emit({ type: e.type, rid: e.rid, payload: e.payload }, null, false);
    expect(await waitFor(() => sender.idle(), (idle) => idle, 60_000, 50)).toBe(true);
    sender.stop();

    const actual = await storeSnapshot(faulted.db);
    const outcomes = new Map<string, number>();
    for (const a of log) outcomes.set(a.outcome, (outcomes.get(a.outcome) ?? 0) + 1);
    const expectedIds = new Set(expected.messages.map((m) => m.rocketchat_message_id as string));
    const actualIds = actual.messages.map((m) => m.rocketchat_message_id as string);
    recordFaultCase({
      case: '3 webhooks ×3 shuffled, 10% killed',
      sent: deliveries.length,
      stored: actual.messages.length,
      delivered: outcomes.get('success') ?? 0,
      lost: [...expectedIds].filter((id) => !actualIds.includes(id)).length,
      duplicated: actualIds.length - new Set(actualIds).size,
      note:
        `${events.length} events, ${log.length} attempts, ${proxy.stats.killedBefore + proxy.stats.killedAfter} killed ` +
        `(${proxy.stats.killedAfter} after omnigate answered); state ${JSON.stringify(actual) === JSON.stringify(expected) ? 'equal' : 'DIFFERENT'}`,
    });

    expect(outcomes.get('gave-up') ?? 0).toBe(0);
    expect(outcomes.get('failed') ?? 0).toBe(0);
    expect(proxy.stats.killedBefore).toBeGreaterThan(0);
    expect(proxy.stats.killedAfter).toBeGreaterThan(0);
    expect(actual.messages).toEqual(expected.messages);
    expect(actual.visitors).toEqual(expected.visitors);
    expect(actual.rooms).toEqual(expected.rooms);
    expect(actual.events).toEqual(expected.events);
    // the requeue cycle is recorded whole: the forward names the agent who served, the second queue is there
    const requeued = events.find((x) => (x.payload.visitor as JsonObject | undefined)?.token === 'faults-visitor-1')!.rid;
    // events of one instant in the order they happen: started before its queue, a forward before the queue it causes
    const rank = ['started', 'forwarded', 'queued', 'taken', 'closed'];
    const cycle = [...expected.events]
      .filter((e) => e.rocketchat_room_id === requeued)
      .sort((a, b) => +a.occurred_at - +b.occurred_at || rank.indexOf(a.type) - rank.indexOf(b.type));
    expect(cycle.map((e) => e.type).filter((type) => type !== 'closed')).toEqual(['started', 'queued', 'taken', 'forwarded', 'queued', 'taken']);
    expect(cycle.find((e) => e.type === 'forwarded')!.data).toMatchObject({
      from: { agent: { username: 'ana.agent' }, departmentId: 'dep-support', agentFrom: 'omnigate' },
      to: { agent: null, departmentId: 'dep-sales' },
    });
  });
});
