import { RocketChatSimulator, validateLivechatRequest, VALIDATED_ROUTES } from '../../../tools/rocketchat-sim';
import { rocketChatClient, type SentRequest } from '../../support/rocketchat-client';

/** `/api/v1/livechat/message/abc` → `livechat/message/:_id`: the route keys of the validators. */
function routeKey(r: SentRequest): string {
  const path = r.url.replace(/^\/api\/v1\//, '');
  const template = path
    .replace(/^livechat\/message\/[^/]+$/, 'livechat/message/:_id')
    .replace(/^livechat\/messages\.history\/[^/]+$/, 'livechat/messages.history/:rid')
    .replace(/^livechat\/visitor\/(?!department\.transfer)[^/]+$/, 'livechat/visitor/:token')
    .replace(/^livechat\/upload\/[^/]+$/, 'livechat/upload/:rid');
  return `${r.method} ${template}`;
}

/**
 * Every request omnigate's client sends passes Rocket.Chat's own validators
 * (`@rocket.chat/rest-typings`), custom fields and attachments included, against both versions.
 */
describe.each(['7.10.3', '8.8.1'])('what omnigate sends to Rocket.Chat %s', (version) => {
  let sim: RocketChatSimulator;
  const sent: SentRequest[] = [];

  beforeAll(async () => {
    sim = await RocketChatSimulator.start({ rateLimit: false, version });
  });
  afterAll(() => sim.stop());

  it('passes the published request schemas, every one', async () => {
    const rc = rocketChatClient(sim.url, { ROCKETCHAT_TIMEOUT_MS: '2000', ROCKETCHAT_VERSION: version }, sent);
    const token = `schema-${version}`;
    await rc.registerVisitor({ token, name: 'Maria Souza', email: 'maria@example.com', phone: '+5511987654321', department: 'dep-support', customFields: [{ key: 'plan', value: 'gold', overwrite: true }] });
    await rc.getVisitor(token);
    const { room } = await rc.openRoom({ token });
    await rc.openRoom({ token, rid: room.id });
    const id = '1d6f0c2e-4b1a-4f7e-9a53-2f3b1c0d9e11';
    // attachments travel as markdown links after the text (Rocket.Chat's visitor message takes text only)
    await rc.sendMessage({ token, rid: room.id, id, text: 'Olá\n[Order 48213](https://shop.example.com/orders/48213)' });
    await rc.sendMessage({ token, rid: room.id, id, text: 'Olá\n[Order 48213](https://shop.example.com/orders/48213)' }); // a retry: found already delivered
    await rc.getMessage({ id, token, rid: room.id });
    await rc.editMessage({ id, token, rid: room.id, text: 'Olá, edited' });
    // a retry of the first text after an edit here: found delivered, Rocket.Chat's copy edited (PUT)
    await rc.sendMessage({ token, rid: room.id, id, text: 'Olá, edited again' });
    await rc.messageHistory({ rid: room.id, token, end: new Date(), limit: 50, offset: 0 });
    await rc.deleteMessage({ id, token, rid: room.id });
    await rc.uploadFile({ rid: room.id, token, file: { filename: 'note.txt', contentType: 'text/plain', data: Buffer.from('hi') }, msg: 'a file', description: 'notes' });
    await rc.widgetConfig({ token, department: 'dep-support' });
    await rc.transferRoom({ rid: room.id, token, department: 'dep-sales' });
    // as the configured Rocket.Chat user (the agent is offline: refused after the schema check)
    const asUser = rocketChatClient(sim.url, { ROCKETCHAT_TIMEOUT_MS: '2000', ROCKETCHAT_VERSION: version, ROCKETCHAT_USER_ID: 'sim-api-user', ROCKETCHAT_AUTH_TOKEN: 'sim-api-token' }, sent);
    await asUser.forwardToAgent({ rid: room.id, token, agentId: [...sim.store.agents.values()][0]!._id }).catch(() => undefined);
    await rc.surveyRoom({ rid: room.id, token, data: [{ name: 'satisfaction', value: '5' }, { name: 'agentResposiveness', value: '4' }, { name: 'additionalFeedback', value: 'Obrigado!' }] });
    await rc.closeRoom({ rid: room.id, token });
    await rc.sendOfflineMessage({ name: 'Maria', email: 'maria@example.com', message: 'Call me', department: 'dep-support' });
    await rc.serverInfo();

    const checked = sent.filter((r) => VALIDATED_ROUTES.includes(routeKey(r)));
    const outcomes = checked.map((r) => ({ route: routeKey(r), ...validateLivechatRequest(routeKey(r), r.method === 'GET' ? r.params : r.data) }));
    expect(outcomes.filter((o) => !o.valid)).toEqual([]);
    // the routes with a published schema that this walk used
    const transfer = version.startsWith('7.') ? 'POST livechat/room.transfer' : 'POST livechat/visitor/department.transfer';
    expect(new Set(outcomes.map((o) => o.route))).toEqual(
      new Set(['POST livechat/message', 'GET livechat/message/:_id', 'PUT livechat/message/:_id', 'DELETE livechat/message/:_id', 'GET livechat/messages.history/:rid', 'GET livechat/config', transfer, 'POST livechat/room.forward', 'POST livechat/room.survey', 'POST livechat/room.close', 'POST livechat/offline.message']),
    );
  });
});
