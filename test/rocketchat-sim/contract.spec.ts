import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { fixture, MARIA, restClient, shapeOf, WebhookReceiver, withoutKeys, type Json } from './support';

/**
 * Every fixture in test/fixtures/rocketchat/ against the simulator in the same situation: same keys,
 * same value types, same nesting. Allowed differences, each from CONTRACT-NOTES:
 * - webhook `messages[]` entries carry `u` in newest Rocket.Chat (§12 ➕), removed before comparing;
 * - session events (Taken, Forwarded) carry the transcript so far, not `[]` as their fixtures show (§12 ⚠️):
 *   there each entry is compared with a Message fixture entry instead.
 */
describe('Rocket.Chat simulator against the shared fixtures', () => {
  let sim: RocketChatSimulator;
  let receiver: WebhookReceiver;
  let rc: ReturnType<typeof restClient>;
  const covered = new Set<string>();

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  beforeEach(async () => {
    receiver.received.length = 0;
    sim = await RocketChatSimulator.start({ webhook: { url: receiver.url(), token: 'secret' } });
    rc = restClient(sim);
  });
  afterEach(() => sim.stop());
  afterAll(() => receiver.stop());

  const webhook = async (type: string, nth = 1): Promise<Json> => {
    const log = await sim.waitForWebhooks((l) => l.filter((a) => a.type === type && a.outcome === 'success').length >= nth, 2000);
    return log.filter((a) => a.type === type && a.outcome === 'success')[nth - 1]!.payload;
  };
  const same = (name: string, actual: unknown, ignore: string[] = []): void => {
    covered.add(name);
    expect(shapeOf(withoutKeys(actual, ignore))).toEqual(shapeOf(fixture(name)));
  };
  const webhookMessageShape = shapeOf((fixture('webhook-Message-visitor.json').messages as Json[])[0]);

  /** Maria registered and in a room served by joao.agent, with one visitor message. */
  async function servedRoomWithMessage(): Promise<string> {
    await rc.registerVisitor(MARIA);
    sim.setAgentStatus('joao.agent', 'online');
    const { rid } = await rc.openRoom(MARIA.token);
    await rc.send(MARIA.token, rid, 'Olá, meu pedido não chegou', 'om-1d6f0c2e-4b1a-4f7e-9a53-2f3b1c0d9e11');
    return rid;
  }

  it('POST livechat/visitor', async () => {
    const answer = await rc.registerVisitor({ ...MARIA, customFields: [MARIA.customFields[0]] });
    same('rest-visitor-POST-response.json', answer.body);
  });

  it('GET livechat/room: new and queued, new and served, existing', async () => {
    await rc.registerVisitor(MARIA);
    same('rest-room-GET-new-queued.json', (await rc.openRoom(MARIA.token)).body);

    await rc.registerVisitor({ token: 'second', name: 'Maria Souza', department: 'dep-support' });
    sim.setAgentStatus('joao.agent', 'online');
    same('rest-room-GET-new-served.json', (await rc.openRoom('second')).body);
    same('rest-room-GET-existing.json', (await rc.openRoom('second')).body);
  });

  it('POST livechat/room.close and the room-closed error', async () => {
    const rid = await servedRoomWithMessage();
    same('rest-room-close-POST-response.json', (await rc.post('/api/v1/livechat/room.close', { rid, token: MARIA.token })).body);
    const refused = await rc.send(MARIA.token, rid, 'still there?');
    expect(refused.status).toBe(400);
    same('rest-error-room-closed.json', refused.body);
  });

  it('POST livechat/message, its duplicate, and messages.history', async () => {
    await rc.registerVisitor(MARIA);
    sim.setAgentStatus('joao.agent', 'online');
    const { rid } = await rc.openRoom(MARIA.token);
    const sent = await rc.send(MARIA.token, rid, 'Olá, meu pedido não chegou', 'om-1d6f0c2e-4b1a-4f7e-9a53-2f3b1c0d9e11');
    same('rest-message-POST-response.json', sent.body);
    const duplicate = await rc.send(MARIA.token, rid, 'Olá, meu pedido não chegou', 'om-1d6f0c2e-4b1a-4f7e-9a53-2f3b1c0d9e11');
    expect(duplicate.status).toBe(400);
    same('rest-error-duplicate-message-id.json', duplicate.body);

    await sim.sendAgentMessage(rid, { text: 'Oi Maria! Pode me passar o número do pedido?' });
    same('rest-messages-history-GET-response.json', (await rc.get(`/api/v1/livechat/messages.history/${rid}?token=${MARIA.token}`)).body);
  });

  it('invalid-token: GET livechat/visitor/:token has the fixture shape', async () => {
    // The Meteor.Error routes answer `[invalid-token]` + errorType (same shape as the fixture); the
    // room/message routes answer plain `invalid-token` without errorType (CONTRACT-NOTES §0).
    const answer = await rc.get('/api/v1/livechat/visitor/nobody');
    expect(answer.status).toBe(400);
    same('rest-error-invalid-token.json', answer.body);
    expect(answer.body).toEqual({ success: false, error: '[invalid-token]', errorType: 'invalid-token' });
  });

  it('429 from the rate limiter', async () => {
    for (let i = 0; i < 5; i++) expect((await rc.registerVisitor({ token: `t${i}` })).status).toBe(200);
    const limited = await rc.registerVisitor({ token: 't5' });
    expect(limited.status).toBe(429);
    same('rest-error-rate-limited-429.json', limited.body);
    expect(String(limited.body.error)).toMatch(/^Error, too many requests\. Please slow down\. You must wait (59|60) seconds before trying this endpoint again\. \[error-too-many-requests\]$/);
  });

  it('webhooks LivechatSessionStart and LivechatSessionQueued', async () => {
    await rc.registerVisitor(MARIA);
    await rc.openRoom(MARIA.token);
    same('webhook-LivechatSessionStart.json', await webhook('LivechatSessionStart'));
    same('webhook-LivechatSessionQueued.json', await webhook('LivechatSessionQueued'));
  });

  it('webhooks LivechatSessionTaken and LivechatSessionForwarded (transcript so far)', async () => {
    await rc.registerVisitor(MARIA);
    const { rid } = await rc.openRoom(MARIA.token);
    await rc.send(MARIA.token, rid, 'Olá, meu pedido não chegou');
    await sim.takeRoom(rid, 'joao.agent');
    const taken = await webhook('LivechatSessionTaken');
    same('webhook-LivechatSessionTaken.json', { ...taken, messages: [] });
    expect((taken.messages as Json[]).map((m) => shapeOf(withoutKeys(m, ['u'])))).toEqual([webhookMessageShape]);

    await sim.forward(rid, { agentUsername: 'ana.agent' });
    const forwarded = await webhook('LivechatSessionForwarded');
    same('webhook-LivechatSessionForwarded.json', { ...forwarded, messages: [] });
    expect((forwarded.messages as Json[]).length).toBe(1);
  });

  it('webhooks Message from the visitor and from the agent', async () => {
    await rc.registerVisitor(MARIA);
    const { rid } = await rc.openRoom(MARIA.token);
    await rc.send(MARIA.token, rid, 'Olá, meu pedido não chegou');
    await rc.send(MARIA.token, rid, 'É o 48213');
    // The room as it was before the message: only the second message's event has lastMessageAt.
    expect(await webhook('Message', 1)).not.toHaveProperty('lastMessageAt');
    same('webhook-Message-visitor.json', await webhook('Message', 2), ['u']);
    await sim.takeRoom(rid, 'joao.agent');
    await sim.sendAgentMessage(rid, { text: 'Oi Maria! Pode me passar o número do pedido?' });
    same('webhook-Message-agent.json', await webhook('Message', 3), ['u']);
  });

  it('webhook LivechatSession: the fixture story, closed by the agent', async () => {
    const rid = await servedRoomWithMessage();
    await sim.sendAgentMessage(rid, { text: 'Oi Maria! Pode me passar o número do pedido?' });
    await rc.send(MARIA.token, rid, 'É o 48213', 'om-5a0b9e77-0c3d-4e2a-8f61-7d2c4b1a0f22');
    await sim.forward(rid, { agentUsername: 'ana.agent' });
    await sim.sendAgentMessage(rid, { text: 'Encontrei: sai para entrega hoje à tarde.' });
    await sim.closeRoom(rid, { by: 'agent', comment: 'Atendimento encerrado, obrigada!', tags: ['entrega'] });
    const closed = await webhook('LivechatSession');
    same('webhook-LivechatSession-close-by-agent.json', closed, ['u']);
    const messages = closed.messages as Json[];
    expect(messages.map((m) => m.msg)).toEqual(((fixture('webhook-LivechatSession-close-by-agent.json').messages as Json[]).map((m) => m.msg)));
    expect(closed).toMatchObject({ closer: 'user', closedBy: { username: 'ana.agent' } });
  });

  it('webhook LivechatOfflineMessage', async () => {
    await rc.post('/api/v1/livechat/offline.message', { name: 'Carlos Pereira', email: 'carlos@example.com', message: 'Vocês abrem amanhã às 8h?' });
    same('webhook-LivechatOfflineMessage.json', await webhook('LivechatOfflineMessage'));
  });

  it('covers every fixture file', () => {
    const files = readdirSync(join(__dirname, '..', 'fixtures', 'rocketchat')).filter((f) => f.endsWith('.json'));
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });
});
