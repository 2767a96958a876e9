import { createConversation } from './factory';
import { expectGolden } from './golden';
import { ANA, seededScenarios } from './scenarios';
import { asText } from './text-parser';

describe('GET /v1/transcripts/:roomId', () => {
  const s = seededScenarios();

  const get = (path: string) => s.t.http.get(path).set('Authorization', s.t.admin);

  it('returns room, visitor, agents, events and messages in order as JSON by default', async () => {
    const res = await get(`/v1/transcripts/${s.maria.roomId}`).expect(200).expect('content-type', /application\/json/);
    expect(res.body.room).toMatchObject({
      id: s.maria.roomId,
      rocketchatRoomId: 'RoomMaria0001',
      status: 'closed',
      departmentId: 'dep-billing',
      openedAt: '2026-11-24T12:00:00.000Z',
      servedAt: '2026-11-24T12:00:35.000Z',
      closedAt: '2026-11-24T12:05:00.000Z',
      closedBy: 'agent',
      closeComment: 'refunded',
      tags: ['refund'],
    });
    expect(res.body.visitor).toMatchObject({ token: 'web-maria', name: 'Maria Souza', erasedAt: null });
    expect(res.body.agents).toEqual([
      { id: 'agent-ana', username: 'ana.lima', name: 'Ana Lima' },
      { id: 'agent-bruno', username: 'bruno.reis', name: 'Bruno Reis' },
    ]);
    expect(res.body.department).toEqual({ id: 'dep-billing', name: 'Billing' });
    // dep-support, where the room started, was never read from Rocket.Chat: no name
    expect(res.body.departments).toEqual([{ id: 'dep-support', name: null }, { id: 'dep-billing', name: 'Billing' }]);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['started', 'queued', 'taken', 'forwarded', 'closed']);
    expect(res.body.messages.map((m: { authorName: string }) => m.authorName)).toEqual(['Maria Souza', 'Ana Lima', 'Maria Souza', 'System', 'Bruno Reis', 'Maria Souza']);
    expect(res.body.messages[4]).toMatchObject({ authorType: 'agent', authorId: 'agent-bruno', attachments: [{ name: 'refund-4521.pdf' }] });
  });

  it('finds the room by its Rocket.Chat id too', async () => {
    const res = await get('/v1/transcripts/RoomMaria0001').expect(200);
    expect(res.body.room.id).toBe(s.maria.roomId);
  });

  it('renders txt exactly (golden file)', async () => {
    const res = await get(`/v1/transcripts/${s.maria.roomId}?format=txt`).expect(200).expect('content-type', 'text/plain; charset=utf-8');
    expect(res.text).toContain('[2026-11-24 12:00:05Z] Maria Souza: Hello, my order 4521 has not arrived');
    expectGolden('room-maria.txt', res.text);
  });

  it('renders csv exactly (golden file)', async () => {
    const res = await get(`/v1/transcripts/${s.maria.roomId}?format=csv`).expect(200).expect('content-type', 'text/csv; charset=utf-8');
    expect(res.text.split('\r\n')[0]).toBe('time,kind,type,author_type,author_name,text,message_id');
    expectGolden('room-maria.csv', res.text);
  });

  it('renders ndjson: a transcript line, then one line per event or message', async () => {
    const res = await get(`/v1/transcripts/${s.maria.roomId}`).set('Accept', 'application/x-ndjson').buffer(true).parse(asText).expect(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = (res.body as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1 + 5 + 6);
    expect(lines[0]).toMatchObject({ kind: 'transcript', room: { id: s.maria.roomId, departmentId: 'dep-billing' }, visitor: { name: 'Maria Souza' }, department: { id: 'dep-billing', name: 'Billing' } });
    expect(lines.slice(1).map((l) => l.kind + ':' + (l.type ?? l.authorType))).toEqual([
      'event:started', 'event:queued', 'message:visitor', 'event:taken', 'message:agent', 'message:visitor',
      'event:forwarded', 'message:system', 'message:agent', 'message:visitor', 'event:closed',
    ]);
  });

  it("names the room's department beside its id, the id alone when its name is unknown", async () => {
    const sales = await get(`/v1/transcripts/${s.joao.roomId}?format=txt`).expect(200);
    expect(sales.text.split('\n')).toContain('Department: Sales (dep-sales)');
    expect((await get(`/v1/transcripts/${s.joao.roomId}`).expect(200)).body).toMatchObject({ department: { id: 'dep-sales', name: 'Sales' } });
    const unknown = await get(`/v1/transcripts/${s.erased.roomId}?format=txt`).expect(200);
    expect(unknown.text.split('\n')).toContain('Department: dep-support');
    expect((await get(`/v1/transcripts/${s.erased.roomId}`).expect(200)).body).toMatchObject({ department: { id: 'dep-support', name: null } });
  });

  it('prints the close comment once in txt, though Rocket.Chat also sends it as the closing message', async () => {
    const closed = await createConversation(s.t.db, {
      visitor: { token: 'web-closing', name: 'Rita' },
      departmentId: 'dep-sales',
      openedAt: '2026-11-26T10:00:00.000Z',
      steps: [
        { at: '2026-11-26T10:00:05.000Z', visitor: 'Where is my parcel?' },
        { at: '2026-11-26T10:00:20.000Z', taken: ANA },
        { at: '2026-11-26T10:01:00.000Z', agent: ANA, text: 'It left today.' },
        // as the webhook stores a close: the closing message (its text is the comment) and the closed event, one time
        { at: '2026-11-26T10:02:00.000Z', system: 'parcel tracked, customer happy', systemType: 'livechat-close' },
        { at: '2026-11-26T10:02:00.000Z', closed: 'agent', comment: 'parcel tracked, customer happy' },
      ],
    });
    const txt = (await get(`/v1/transcripts/${closed.roomId}?format=txt`).expect(200)).text;
    expect(txt.split('parcel tracked, customer happy')).toHaveLength(2);
    expect(txt.trimEnd().split('\n').slice(-2)).toEqual([
      '[2026-11-26 10:01:00Z] Ana Lima: It left today.',
      '[2026-11-26 10:02:00Z] [closed by agent Ana Lima: parcel tracked, customer happy]',
    ]);
    // the JSON keeps both, as stored
    const json = (await get(`/v1/transcripts/${closed.roomId}`).expect(200)).body;
    expect(json.messages.map((m: { systemType: string | null }) => m.systemType)).toEqual([null, null, 'livechat-close']);
  });

  it('keeps a closing message that says what no close event does', async () => {
    const closed = await createConversation(s.t.db, {
      visitor: { token: 'web-closing-2', name: 'Rui' },
      openedAt: '2026-11-26T11:00:00.000Z',
      steps: [
        { at: '2026-11-26T11:00:05.000Z', visitor: 'Hello?' },
        { at: '2026-11-26T11:02:00.000Z', system: 'visitor left', systemType: 'livechat-close' },
      ],
    });
    const txt = (await get(`/v1/transcripts/${closed.roomId}?format=txt`).expect(200)).text;
    expect(txt).toContain('[2026-11-26 11:02:00Z] [visitor left]');
  });

  it.each([
    ['text/plain', 'text/plain; charset=utf-8'],
    ['text/csv', 'text/csv; charset=utf-8'],
    ['text/html;q=0.9, text/csv;q=0.5', 'text/csv; charset=utf-8'],
    ['*/*', 'application/json; charset=utf-8'],
  ])('negotiates Accept: %s', async (accept, contentType) => {
    const res = await get(`/v1/transcripts/${s.maria.roomId}`).set('Accept', accept).buffer(true).parse(asText).expect(200);
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.headers.vary).toMatch(/Accept/);
  });

  it('lets format= win over Accept', async () => {
    const res = await get(`/v1/transcripts/${s.maria.roomId}?format=txt`).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('leaves out outbound messages Rocket.Chat refused', async () => {
    const res = await get(`/v1/transcripts/${s.joao.roomId}`).expect(200);
    expect(res.body.messages.map((m: { text: string }) => m.text)).not.toContain('this never reached Rocket.Chat');
    expect(res.body.messages.map((m: { authorType: string }) => m.authorType)).toEqual(['visitor', 'bot', 'agent']);
  });

  it("keeps an erased visitor's messages without a name", async () => {
    const res = await get(`/v1/transcripts/${s.erased.roomId}`).expect(200);
    expect(res.body.visitor).toMatchObject({ name: null, erasedAt: expect.any(String) });
    expect(res.body.agents).toEqual([]);
    expect(res.body.messages[0]).toMatchObject({ authorType: 'visitor', authorName: 'Visitor', text: 'Is anyone there? My order 9988 is late' });
    const txt = await get(`/v1/transcripts/${s.erased.roomId}?format=txt`).expect(200);
    expect(txt.text).toContain('Visitor: (erased) (web-erased)');
    expect(txt.text).toContain('[2026-11-25 09:30:00Z] [closed by system: abandoned]');
  });

  describe('bad input', () => {
    it('answers 406 in the shared error shape for an Accept it cannot produce', async () => {
      const res = await get(`/v1/transcripts/${s.maria.roomId}`).set('Accept', 'application/pdf').expect(406);
      expect(res.body).toEqual({ statusCode: 406, error: 'Not Acceptable', message: expect.stringContaining('application/pdf') });
    });

    it('answers 400 for an unknown format=', async () => {
      const res = await get(`/v1/transcripts/${s.maria.roomId}?format=pdf`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, details: [{ field: 'format' }] });
    });

    it('answers 404 for an unknown room and 400 for a malformed id', async () => {
      await get('/v1/transcripts/9f0c7d1e-0000-4000-8000-000000000000').expect(404);
      await get('/v1/transcripts/NoSuchRoom').expect(404);
      const bad = await get(`/v1/transcripts/${encodeURIComponent('bad id!')}`).expect(400);
      expect(bad.body.details).toEqual([{ field: 'roomId', errors: [expect.any(String)] }]);
    });

    it('requires the transcripts:read scope', async () => {
      const key = await s.t.http.post('/v1/api-keys').set('Authorization', s.t.admin).send({ name: 'app', scopes: ['chat:write'] }).expect(201);
      await s.t.http.get(`/v1/transcripts/${s.maria.roomId}`).set('Authorization', `Bearer ${key.body.secret}`).expect(403);
      const analyst = await s.t.http.post('/v1/api-keys').set('Authorization', s.t.admin).send({ name: 'analyst', scopes: ['transcripts:read'] }).expect(201);
      await s.t.http.get(`/v1/transcripts/${s.maria.roomId}`).set('Authorization', `Bearer ${analyst.body.secret}`).expect(200);
      await s.t.http.get(`/v1/transcripts/${s.maria.roomId}`).expect(401);
    });
  });
});
