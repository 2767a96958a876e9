import { startHarness, type Harness } from '../support/harness';

describe('visitors and rooms API', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { ROCKETCHAT_TIMEOUT_MS: '500' } });
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());
  let n = 0;
  const token = () => `vr-${++n}`;
  const count = async (table: string) => (await h.t.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  describe('POST /v1/visitors', () => {
    it('registers the visitor in Rocket.Chat, then stores it (201), and updates it (200)', async () => {
      const tk = token();
      const created = await h.post('/v1/visitors', {
        token: tk,
        name: 'Maria Souza',
        email: 'maria@example.com',
        phone: '+5511987654321',
        department: 'dep-support',
        customFields: [{ key: 'plan', value: 'gold', overwrite: true }],
      }).expect(201);
      expect(created.body).toMatchObject({
        token: tk,
        name: 'Maria Souza',
        email: 'maria@example.com',
        phone: '+5511987654321',
        department: 'dep-support',
        customFields: { plan: 'gold' },
        username: expect.stringMatching(/^guest-/),
        erasedAt: null,
      });
      expect(h.sim.store.visitorByToken(tk)).toMatchObject({ name: 'Maria Souza' });

      const updated = await h.post('/v1/visitors', { token: tk, name: 'Maria S.', customFields: [{ key: 'plan', value: 'silver', overwrite: false }] }).expect(200);
      expect(updated.body).toMatchObject({ id: created.body.id, name: 'Maria S.', customFields: { plan: 'gold' }, email: 'maria@example.com' });
    });

    it.each([
      [{}, ['token']],
      [{ token: 'has space' }, ['token']],
      [{ token: 'x'.repeat(201) }, ['token']],
      [{ token: 'ok', email: 'not-an-email' }, ['email']],
      [{ token: 'ok', phone: 'call me' }, ['phone']],
      [{ token: 'ok', name: 'bad\u0000name' }, ['name']],
      [{ token: 'ok', department: 'dep support' }, ['department']],
      [{ token: 'ok', customFields: [{ key: 'plan', value: 'x' }] }, ['customFields.0.overwrite']],
      [{ token: 'ok', customFields: 'plan=gold' }, ['customFields']],
      [{ token: 'ok', nickname: 'x' }, ['nickname']],
    ])('answers 400 and writes nothing (case %#)', async (body, fields) => {
      const before = await count('visitors');
      const res = await h.post('/v1/visitors', body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(fields);
      expect(await count('visitors')).toBe(before);
    });

    it('says which custom fields Rocket.Chat ignored, and refuses a department Rocket.Chat does not have (422, nothing stored)', async () => {
      const tk = token();
      const res = await h.post('/v1/visitors', {
        token: tk,
        customFields: [
          { key: 'plan', value: 'gold', overwrite: true },
          { key: 'nickname', value: 'Mari', overwrite: true },
        ],
      }).expect(201);
      expect(res.body.customFields).toEqual({ plan: 'gold' });
      expect(res.body.warnings).toEqual([{ field: 'customFields.nickname', message: 'Rocket.Chat has no visitor custom field "nickname": it was not stored' }]);
      const plain = await h.post('/v1/visitors', { token: tk, name: 'Maria' }).expect(200);
      expect(plain.body.warnings).toBeUndefined();

      const before = await count('visitors');
      const refused = await h.post('/v1/visitors', { token: token(), department: 'dep-nowhere' }).expect(422);
      expect(refused.body).toMatchObject({ message: 'Rocket.Chat has no such department', details: { rocketchat: { reason: 'error-invalid-department' } } });
      expect(await count('visitors')).toBe(before);
    });

    it('answers 503 with Retry-After and stores nothing when Rocket.Chat is down', async () => {
      const before = await count('visitors');
      await h.sim.faults.refuseConnections(true);
      try {
        const res = await h.post('/v1/visitors', { token: token() }).expect(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', details: { rocketchat: { problem: expect.stringMatching(/^ECONN/) } } });
      } finally {
        await h.sim.faults.refuseConnections(false);
      }
      expect(await count('visitors')).toBe(before);
    });

    it('needs the chat:write scope', async () => {
      const key = (await h.post('/v1/api-keys', { name: 'analyst', scopes: ['transcripts:read'] }).expect(201)).body.secret;
      await h.t.http.post('/v1/visitors').set('Authorization', `Bearer ${key}`).send({ token: 'x' }).expect(403);
      await h.t.http.post('/v1/visitors').send({ token: 'x' }).expect(401);
    });
  });

  describe('GET /v1/visitors', () => {
    it('gets one by token (404 when unknown) and lists with filters and a stable cursor', async () => {
      const tokens = [token(), token(), token()];
      for (const tk of tokens) await h.post('/v1/visitors', { token: tk, email: `${tk}@list.example.com` }).expect(201);
      expect((await h.get(`/v1/visitors/${tokens[0]}`).expect(200)).body.token).toBe(tokens[0]);
      await h.get('/v1/visitors/nobody').expect(404);
      await h.get('/v1/visitors/bad%20token').expect(400);

      const byEmail = await h.get(`/v1/visitors?email=${tokens[1]!.toUpperCase()}@LIST.example.com`).expect(200);
      expect(byEmail.body.items.map((v: { token: string }) => v.token)).toEqual([tokens[1]]);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ token: string }>; nextCursor: string | null } } = await h.get(`/v1/visitors?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        seen.push(...page.body.items.map((v) => v.token));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(tokens));
      await h.get('/v1/visitors?limit=0').expect(400);
      await h.get('/v1/visitors?limit=101').expect(400);
      await h.get('/v1/visitors?updatedSince=yesterday').expect(400);
      await h.get('/v1/visitors?cursor=garbage').expect(400);
    });
  });

  describe('POST /v1/rooms', () => {
    it('opens a queued room (201), then returns the same open room (200)', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk, name: 'Queue' }).expect(201);
      const first = await h.post('/v1/rooms', { visitorToken: tk }).expect(201);
      expect(first.body).toMatchObject({ status: 'queued', agent: null, visitorToken: tk, closedAt: null });
      expect(h.sim.store.openRoomOf(tk)?._id).toBe(first.body.rocketchatRoomId);
      const again = await h.post('/v1/rooms', { visitorToken: tk }).expect(200);
      expect(again.body.id).toBe(first.body.id);
    });

    it('opens a served room in the requested department when an agent is online', async () => {
      h.sim.setAgentStatus('ana.agent', 'online');
      try {
        const tk = token();
        await h.post('/v1/visitors', { token: tk }).expect(201);
        const room = await h.post('/v1/rooms', { visitorToken: tk, departmentId: 'dep-sales' }).expect(201);
        expect(room.body).toMatchObject({ status: 'open', departmentId: 'dep-sales', agent: { username: 'ana.agent' } });
        expect(room.body.servedAt).toEqual(expect.any(String));
        expect(h.sim.store.visitorByToken(tk)?.department).toBe('dep-sales');
      } finally {
        h.sim.setAgentStatus('ana.agent', 'offline');
      }
    });

    it('opens ONE room for concurrent requests of one visitor', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk }).expect(201);
      const answers = await Promise.all(Array.from({ length: 8 }, () => h.post('/v1/rooms', { visitorToken: tk })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(h.sim.store.roomsOf(tk)).toHaveLength(1);
      const { rows } = await h.t.db.query('SELECT count(*)::int AS n FROM rooms r JOIN visitors v ON v.id = r.visitor_id WHERE v.token = $1', [tk]);
      expect(rows[0].n).toBe(1);
    });

    it('says when Rocket.Chat did not route to the agent asked for, and when an open room made the request moot', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk }).expect(201);
      const room = await h.post('/v1/rooms', { visitorToken: tk, agentId: 'NoSuchAgent000000' }).expect(201);
      expect(room.body.status).toBe('queued');
      expect(room.body.warnings).toEqual([{ field: 'agentId', message: 'Rocket.Chat did not route the room to agent NoSuchAgent000000 (unknown or not available): it queued it' }]);
      const again = await h.post('/v1/rooms', { visitorToken: tk, departmentId: 'dep-sales' }).expect(200);
      expect(again.body.warnings).toEqual([expect.objectContaining({ field: 'departmentId' })]);
      expect((await h.post('/v1/rooms', { visitorToken: tk }).expect(200)).body.warnings).toBeUndefined();
    });

    it('answers 404 for an unknown visitor and 400 for bad input, writing nothing', async () => {
      const before = await count('rooms');
      await h.post('/v1/rooms', { visitorToken: 'never-registered' }).expect(404);
      await h.post('/v1/rooms', {}).expect(400);
      await h.post('/v1/rooms', { visitorToken: 'x', agentId: 'not valid!' }).expect(400);
      expect(await count('rooms')).toBe(before);
    });

    it('answers 503 and writes nothing when Rocket.Chat is down', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk }).expect(201);
      const before = await count('rooms');
      h.sim.faults.failNext(1, 500, 'GET livechat/room');
      const res = await h.post('/v1/rooms', { visitorToken: tk }).expect(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(await count('rooms')).toBe(before);
    });
  });

  describe('GET /v1/rooms', () => {
    it('gets a room by omnigate id or Rocket.Chat id, with its lifecycle events', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk }).expect(201);
      const room = (await h.post('/v1/rooms', { visitorToken: tk }).expect(201)).body;
      const byId = await h.get(`/v1/rooms/${room.id}`).expect(200);
      const byRc = await h.get(`/v1/rooms/${room.rocketchatRoomId}`).expect(200);
      expect(byRc.body).toEqual(byId.body);
      expect(byId.body.events.map((e: { type: string }) => e.type)).toEqual(['started', 'queued']);
      await h.get('/v1/rooms/00000000-0000-4000-8000-000000000000').expect(404);
      await h.get('/v1/rooms/not%20an%20id').expect(400);
    });

    it('lists rooms with filters, newest first, and validates periods', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk }).expect(201);
      const room = (await h.post('/v1/rooms', { visitorToken: tk }).expect(201)).body;
      const mine = await h.get(`/v1/rooms?visitorToken=${tk}&status=queued`).expect(200);
      expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([room.id]);
      expect((await h.get(`/v1/rooms?visitorToken=${tk}&status=closed`).expect(200)).body.items).toEqual([]);
      const all = await h.get('/v1/rooms?limit=100').expect(200);
      const opened = all.body.items.map((r: { openedAt: string }) => r.openedAt);
      expect([...opened].sort().reverse()).toEqual(opened);
      await h.get('/v1/rooms?status=lost').expect(400);
      await h.get('/v1/rooms?openedFrom=2026-12-01T00:00:00Z&openedTo=2026-11-01T00:00:00Z').expect(400);
      await h.get('/v1/rooms?openedFrom=not-a-date').expect(400);
      // the same rules as every time filter of the API: no zone-less date-time, no empty range
      const zoneless = await h.get('/v1/rooms?openedFrom=2026-11-01T00:00:00').expect(400);
      expect(zoneless.body.details.map((d: { field: string }) => d.field)).toEqual(['openedFrom']);
      await h.get('/v1/rooms?closedFrom=2026-11-01&closedTo=2026-11-01').expect(400);
      await h.get('/v1/rooms?openedFrom=2026-11-01&openedTo=2026-11-02T00:00:00%2B01:00').expect(200);
    });
  });

  describe('closing and transferring', () => {
    it('closes through Rocket.Chat, records the event, and refuses a second close with 409', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk }).expect(201);
      const room = (await h.post('/v1/rooms', { visitorToken: tk }).expect(201)).body;
      const closed = await h.post(`/v1/rooms/${room.id}/close`, { comment: 'Visitor left' }).expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'visitor', closeComment: 'Visitor left' });
      expect(closed.body.events.map((e: { type: string }) => e.type)).toEqual(['started', 'queued', 'closed']);
      expect(h.sim.store.openRoomOf(tk)).toBeUndefined();
      // Rocket.Chat's visitor close takes no comment: it went first, as the visitor's last message
      const inRc = h.sim.store.messages(room.rocketchatRoomId).map((m) => [m.t ?? 'message', m.msg]);
      expect(inRc.slice(-2)).toEqual([['message', 'Visitor left'], ['livechat-close', 'Closed by visitor']]);
      const messages = (await h.get(`/v1/rooms/${room.id}/messages`).expect(200)).body.items;
      expect(messages.at(-1)).toMatchObject({ authorType: 'visitor', text: 'Visitor left', deliveryStatus: 'sent' });
      const again = await h.post(`/v1/rooms/${room.id}/close`, {}).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: 'The room is closed' });
      // a new conversation after a close is a new room
      const next = await h.post('/v1/rooms', { visitorToken: tk }).expect(201);
      expect(next.body.id).not.toBe(room.id);
    });

    it('sends the close comment once when a close is retried after Rocket.Chat failed to close', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk }).expect(201);
      const room = (await h.post('/v1/rooms', { visitorToken: tk }).expect(201)).body;
      h.sim.faults.failNext(1, 503, 'POST livechat/room.close');
      await h.post(`/v1/rooms/${room.id}/close`, { comment: 'Bye now' }).expect(503);
      await h.post(`/v1/rooms/${room.id}/close`, { comment: 'Bye now' }).expect(200);
      expect(h.sim.store.messages(room.rocketchatRoomId).filter((m) => m.msg === 'Bye now')).toHaveLength(1);
      const { rows } = await h.t.db.query(`SELECT count(*)::int AS n FROM messages WHERE room_id = $1 AND text = 'Bye now'`, [room.id]);
      expect(rows[0].n).toBe(1);
    });

    it('records the room closed when Rocket.Chat had closed it without omnigate hearing of it (409)', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk }).expect(201);
      const room = (await h.post('/v1/rooms', { visitorToken: tk }).expect(201)).body;
      await h.sim.closeRoom(room.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' }); // closed there, no webhook configured
      const res = await h.post(`/v1/rooms/${room.id}/close`, {}).expect(409);
      expect(res.body.details).toEqual({ rocketchat: { reason: 'room-closed', detail: 'room-closed', status: 400 } });
      expect((await h.get(`/v1/rooms/${room.id}`).expect(200)).body).toMatchObject({ status: 'closed', closedBy: 'system' });
    });

    it('transfers to a department through Rocket.Chat and records a forwarded event', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk, department: 'dep-support' }).expect(201);
      const room = (await h.post('/v1/rooms', { visitorToken: tk }).expect(201)).body;
      const moved = await h.post(`/v1/rooms/${room.rocketchatRoomId}/transfer`, { departmentId: 'dep-sales' }).expect(200);
      expect(moved.body.departmentId).toBe('dep-sales');
      const forwarded = moved.body.events.find((e: { type: string }) => e.type === 'forwarded');
      expect(forwarded.data).toMatchObject({ from: { departmentId: 'dep-support' }, to: { departmentId: 'dep-sales' } });
      await h.post(`/v1/rooms/${room.id}/transfer`, {}).expect(400);
    });
  });

  describe('DELETE /v1/visitors/:token', () => {
    it('refuses while a room is open, then erases the personal fields and anonymises the transcript', async () => {
      const tk = token();
      await h.post('/v1/visitors', { token: tk, name: 'Erase Me', email: 'erase@example.com', customFields: [{ key: 'plan', value: 'gold', overwrite: true }] }).expect(201);
      const room = (await h.post('/v1/rooms', { visitorToken: tk }).expect(201)).body;
      await h.post(`/v1/rooms/${room.id}/messages`, { text: 'my order is 48213' }).expect(201);
      const refused = await h.t.http.delete(`/v1/visitors/${tk}`).set('Authorization', h.t.admin).expect(409);
      expect(refused.body.details.rocketchat.reason).toBe('visitor-has-open-rooms');

      await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
      const erased = await h.t.http.delete(`/v1/visitors/${tk}`).set('Authorization', h.t.admin).expect(200);
      expect(erased.body).toMatchObject({ token: tk, name: null, email: null, phone: null, username: null, customFields: {}, erasedAt: expect.any(String) });
      expect(h.sim.store.visitorByToken(tk)).toBeUndefined();
      const { rows } = await h.t.db.query('SELECT text, author_name FROM messages WHERE room_id = $1 AND author_type = $2', [room.id, 'visitor']);
      expect(rows).toEqual([{ text: 'my order is 48213', author_name: null }]);
      await h.post('/v1/rooms', { visitorToken: tk }).expect(409);
    });
  });
});
