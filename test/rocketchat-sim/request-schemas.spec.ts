import { RocketChatSimulator, validateLivechatRequest, VALIDATED_ROUTES } from '../../tools/rocketchat-sim';
import { MARIA, restClient, type Json } from './support';

/** The simulator refuses exactly what @rocket.chat/rest-typings 8.8.1's validators refuse, with Rocket.Chat's body. */
describe('Rocket.Chat simulator request schemas (@rocket.chat/rest-typings)', () => {
  let sim: RocketChatSimulator;
  let rc: ReturnType<typeof restClient>;
  let rid: string;
  let messageId: string;

  beforeAll(async () => {
    sim = await RocketChatSimulator.start({ rateLimit: false });
    rc = restClient(sim);
    await rc.registerVisitor(MARIA);
    rid = (await rc.openRoom(MARIA.token)).rid;
    messageId = String(((await rc.send(MARIA.token, rid, 'hello')).body.message as Json)._id);
  });
  afterAll(() => sim.stop());

  const invalidParams = (error: string) => ({ success: false, error: `${error} [invalid-params]`, errorType: 'invalid-params' });
  const query = (params: Json) => new URLSearchParams(params as Record<string, string>).toString();

  /** [route key, a valid body, a required key, a key whose value can be given a wrong type] */
  const bodyRoutes: [string, () => string, () => Json, string, string][] = [
    ['POST livechat/message', () => '/api/v1/livechat/message', () => ({ token: MARIA.token, rid, msg: 'hi' }), 'msg', 'msg'],
    ['POST livechat/offline.message', () => '/api/v1/livechat/offline.message', () => ({ name: 'C', email: 'c@example.com', message: 'm' }), 'email', 'name'],
    ['POST livechat/room.close', () => '/api/v1/livechat/room.close', () => ({ token: 'someone-else', rid }), 'rid', 'token'],
  ];

  describe.each(bodyRoutes)('%s', (routeKey, path, valid, required, typed) => {
    it('refuses a missing required field, an unknown field and a wrong type as the validator does', async () => {
      const cases: Json[] = [
        Object.fromEntries(Object.entries(valid()).filter(([k]) => k !== required)),
        { ...valid(), unexpected: 'x' },
        { ...valid(), [typed]: { not: 'a string' } },
      ];
      for (const body of cases) {
        const verdict = validateLivechatRequest(routeKey, structuredClone(body));
        expect(verdict.valid).toBe(false);
        const answer = await rc.post(path(), body);
        expect([answer.status, answer.body]).toEqual([400, invalidParams(verdict.errors!)]);
      }
      expect(validateLivechatRequest(routeKey, { ...valid(), unexpected: 'x' }).errors).toBe('must NOT have additional properties');
      expect(validateLivechatRequest(routeKey, valid())).toEqual({ valid: true });
    });
  });

  it('POST livechat/message: accepts a valid request, and an agent object must be complete', async () => {
    expect((await rc.send(MARIA.token, rid, 'valid')).status).toBe(200);
    const answer = await rc.post('/api/v1/livechat/message', { token: MARIA.token, rid, msg: 'x', agent: { agentId: 'a' } });
    expect(answer.body).toEqual(invalidParams("must have required property 'username'"));
  });

  it('GET livechat/message/:_id and messages.history: query schemas (query values are strings, so no wrong type)', async () => {
    const get = (path: string, params: Json) => rc.get(`${path}?${query(params)}`);
    expect((await get(`/api/v1/livechat/message/${messageId}`, { token: MARIA.token, rid })).status).toBe(200);
    expect((await get(`/api/v1/livechat/message/${messageId}`, { token: MARIA.token })).body).toEqual(invalidParams("must have required property 'rid'"));
    expect((await get(`/api/v1/livechat/message/${messageId}`, { token: MARIA.token, rid, x: '1' })).body).toEqual(invalidParams('must NOT have additional properties'));
    expect((await get(`/api/v1/livechat/messages.history/${rid}`, { token: MARIA.token, limit: '5' })).status).toBe(200);
    expect((await get(`/api/v1/livechat/messages.history/${rid}`, { limit: '5' })).body).toEqual(invalidParams("must have required property 'token'"));
    expect((await get(`/api/v1/livechat/messages.history/${rid}`, { token: MARIA.token, page: '2' })).body).toEqual(invalidParams('must NOT have additional properties'));
  });

  it('GET livechat/config: every field optional, unknown ones refused', async () => {
    expect((await rc.get(`/api/v1/livechat/config?${query({ token: MARIA.token, department: 'dep-support' })}`)).status).toBe(200);
    expect((await rc.get('/api/v1/livechat/config?foo=bar')).body).toEqual(invalidParams('must NOT have additional properties'));
  });

  it('POST livechat/visitor/department.transfer (8.x typed route): error-invalid-params without the [code] suffix', async () => {
    const path = '/api/v1/livechat/visitor/department.transfer';
    for (const body of [{ rid, token: MARIA.token }, { rid, token: MARIA.token, department: 'dep-sales', comment: 'x' }, { rid, token: MARIA.token, department: ['a', 'b'] }]) {
      const verdict = validateLivechatRequest('POST livechat/visitor/department.transfer', structuredClone(body));
      expect(verdict.valid).toBe(false);
      const answer = await rc.post(path, body);
      expect([answer.status, answer.body]).toEqual([400, { success: false, errorType: 'error-invalid-params', error: verdict.errors }]);
    }
  });

  it('keeps Meteor check() for POST livechat/visitor and GET livechat/room', async () => {
    expect((await rc.post('/api/v1/livechat/visitor', { visitor: { name: 'no token' } })).body).toEqual({ success: false, error: "Match error: Missing key 'token' in field visitor" });
    expect((await rc.get(`/api/v1/livechat/room?${query({ token: MARIA.token, foo: 'x' })}`)).body).toEqual({ success: false, error: 'Match error: Unknown key in field foo' });
    expect(VALIDATED_ROUTES).not.toContain('POST livechat/visitor');
    expect(VALIDATED_ROUTES).not.toContain('GET livechat/room');
  });

  it('validates routes the simulator does not serve, and the 7.x room.transfer hand schema', () => {
    expect(validateLivechatRequest('POST livechat/room.survey', { token: 't', rid: 'r', data: [] })).toEqual({ valid: false, errors: 'must NOT have fewer than 1 items' });
    expect(validateLivechatRequest('PUT livechat/message/:_id', { token: 't', rid: 'r', msg: 'edited' })).toEqual({ valid: true });
    expect(validateLivechatRequest('POST livechat/room.transfer', { token: 't', rid: 'r' })).toEqual({ valid: false, errors: "must have required property 'department'" });
    expect(() => validateLivechatRequest('GET livechat/nothing', {})).toThrow(/no request schema/);
  });
});
