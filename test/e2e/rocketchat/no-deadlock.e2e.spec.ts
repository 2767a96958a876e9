import { startHarness, type Harness } from '../../support/harness';

jest.setTimeout(60_000);

/**
 * Rocket.Chat 7.10.3 and older await the first webhook attempt inside the chat action: opening a
 * room waits for omnigate's answer to the Start webhook. Nothing that webhook needs may be held
 * while omnigate awaits Rocket.Chat, or both wait until the timeout.
 */
describe('opening a room against the blocking webhook sender (7.10.3)', () => {
  let h: Harness;

  beforeAll(async () => {
    // a deadlock would show as a wait of ROCKETCHAT_TIMEOUT_MS (5 s) and a 503
    h = await startHarness({ version: '7.10.3', webhook: true, env: { ROCKETCHAT_TIMEOUT_MS: '5000' } });
    h.sim.configureWebhook({ httpTimeoutMs: 5000 });
  });
  afterAll(() => h.close());

  const startWebhook = (rid: string) => h.sim.store.webhookLog.filter((a) => a.rid === rid && a.type === 'LivechatSessionStart');

  it.each([
    ['without a department', undefined],
    ["with a department other than the visitor's", 'dep-sales'],
  ])('answers 2xx well within a second %s, and its Start webhook got 200', async (_label, departmentId) => {
    const { token } = await h.visitor({ department: 'dep-support' });
    const started = Date.now();
    const res = await h.post('/v1/rooms', { visitorToken: token, ...(departmentId ? { departmentId } : {}) });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(201);
    expect(elapsed).toBeLessThan(1000);
    expect(startWebhook(res.body.rocketchatRoomId)).toEqual([expect.objectContaining({ attempt: 1, status: 200, outcome: 'success' })]);
    if (departmentId) expect(res.body.departmentId).toBe(departmentId);
  });

  it('opens ONE room for concurrent requests, each answered without waiting on the webhook', async () => {
    const { token } = await h.visitor();
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.post('/v1/rooms', { visitorToken: token, departmentId: 'dep-sales' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(h.sim.store.roomsOf(token)).toHaveLength(1);
  });
});
