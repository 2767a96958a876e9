import { startHarness, type Harness } from '../support/harness';

describe.each(['7.10.3', '8.8.1'])('departments and availability (Rocket.Chat %s)', (version) => {
  describe('without Rocket.Chat credentials: from livechat/config', () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ version });
    });
    afterAll(() => h.close());

    it('lists the departments with their names, stores them, and rooms carry the name', async () => {
      const res = await h.get('/v1/departments').expect(200);
      expect(res.body).toMatchObject({ source: 'widget-config', fetchedAt: expect.any(String) });
      expect(res.body.items).toEqual([
        { id: 'dep-sales', name: 'Sales', enabled: true, showOnRegistration: true, showOnOfflineForm: true },
        { id: 'dep-support', name: 'Support', enabled: true, showOnRegistration: true, showOnOfflineForm: true },
      ]);
      const { rows } = await h.t.db.query('SELECT id, name FROM departments ORDER BY id');
      expect(rows).toEqual([
        { id: 'dep-sales', name: 'Sales' },
        { id: 'dep-support', name: 'Support' },
      ]);
      const room = await h.room({ departmentId: 'dep-sales' });
      expect((await h.get(`/v1/rooms/${room.id}`).expect(200)).body).toMatchObject({ departmentId: 'dep-sales', departmentName: 'Sales' });
      const listed = (await h.get(`/v1/rooms?visitorToken=${room.token}`).expect(200)).body.items[0];
      expect(listed).toMatchObject({ departmentId: 'dep-sales', departmentName: 'Sales' });
    });

    it('says whether an agent is online, for any department or one', async () => {
      expect((await h.get('/v1/availability').expect(200)).body).toEqual({ online: false, departmentId: null, enabled: true, offlineForm: true });
      h.sim.setAgentStatus('joao.agent', 'online'); // Support only
      try {
        expect((await h.get('/v1/availability').expect(200)).body.online).toBe(true);
        expect((await h.get('/v1/availability?departmentId=dep-support').expect(200)).body).toMatchObject({ online: true, departmentId: 'dep-support' });
        expect((await h.get('/v1/availability?departmentId=dep-sales').expect(200)).body).toMatchObject({ online: false, departmentId: 'dep-sales' });
      } finally {
        h.sim.setAgentStatus('joao.agent', 'offline');
      }
      await h.get('/v1/availability?departmentId=not%20valid').expect(400);
      await h.get('/v1/availability?departmentId=x&extra=1').expect(400);
    });

    it('answers 503 when Rocket.Chat is down and no list was read yet', async () => {
      const other = await startHarness({ version });
      try {
        await other.sim.faults.refuseConnections(true);
        const res = await other.get('/v1/availability').expect(503);
        expect(res.headers['retry-after']).toBeDefined();
      } finally {
        await other.sim.faults.refuseConnections(false);
        await other.close();
      }
    });
  });

  describe("with Rocket.Chat credentials: the authenticated department list", () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({
        version,
        env: { ROCKETCHAT_USER_ID: 'sim-api-user', ROCKETCHAT_AUTH_TOKEN: 'sim-api-token' },
        sim: { departments: [{ _id: 'dep-support', name: 'Support' }, { _id: 'dep-sales', name: 'Sales', enabled: false }] },
      });
    });
    afterAll(() => h.close());

    it('lists disabled departments too, saying so', async () => {
      const res = await h.get('/v1/departments').expect(200);
      expect(res.body.source).toBe('department-list');
      expect(res.body.items).toEqual([
        expect.objectContaining({ id: 'dep-sales', name: 'Sales', enabled: false }),
        expect.objectContaining({ id: 'dep-support', name: 'Support', enabled: true }),
      ]);
    });
  });

  it('answers 422 when the configured Rocket.Chat user is refused', async () => {
    const h = await startHarness({ version, env: { ROCKETCHAT_USER_ID: 'nobody', ROCKETCHAT_AUTH_TOKEN: 'wrong-token' } });
    try {
      const res = await h.get('/v1/departments');
      expect([401, 422]).toContain(res.status);
      expect(res.body).toMatchObject({ statusCode: res.status, details: { rocketchat: { status: 401 } } });
    } finally {
      await h.close();
    }
  });
});
