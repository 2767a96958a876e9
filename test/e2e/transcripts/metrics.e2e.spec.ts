import { Conversation, createConversation } from './factory';
import { seededScenarios } from './scenarios';

/**
 * Expected values computed by hand from the scripts in scenarios.ts:
 * maria: wait 12:00:35−12:00:00 = 35 s; first response 12:01:05−12:00:05 = 60 s; handle 12:05:00−12:00:35 = 265 s; duration 300 s.
 * joao:  wait 120 s; first response 13:02:30−13:00:10 = 140 s (the bot's answer does not count); handle 13:10:00−13:02:00 = 480 s.
 * erased: never served: wait, first response and handle null; duration 30 min.
 */
describe('GET /v1/metrics/rooms', () => {
  const s = seededScenarios();

  const metrics = (query: Record<string, string | number>) => s.t.http.get('/v1/metrics/rooms').query(query).set('Authorization', s.t.admin);
  const NOV = { from: '2026-11-01', to: '2026-12-01' };

  it('computes per-room metrics, oldest room first', async () => {
    const res = await metrics(NOV).expect(200);
    expect(res.body).toMatchObject({ groupBy: 'room', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', nextCursor: null });
    expect(res.body.rooms).toEqual([
      {
        roomId: s.maria.roomId, rocketchatRoomId: 'RoomMaria0001', status: 'closed', departmentId: 'dep-billing', departmentName: 'Billing', agentId: 'agent-bruno',
        openedAt: '2026-11-24T12:00:00.000Z', servedAt: '2026-11-24T12:00:35.000Z', closedAt: '2026-11-24T12:05:00.000Z', closedBy: 'agent',
        waitSeconds: 35, firstResponseSeconds: 60, handleSeconds: 265, durationSeconds: 300,
        messages: { visitor: 3, agent: 2, bot: 0, system: 1 }, transfers: 1, surveyRating: null,
      },
      {
        roomId: s.joao.roomId, rocketchatRoomId: 'RoomJoao0002', status: 'closed', departmentId: 'dep-sales', departmentName: 'Sales', agentId: 'agent-ana',
        openedAt: '2026-11-24T13:00:00.000Z', servedAt: '2026-11-24T13:02:00.000Z', closedAt: '2026-11-24T13:10:00.000Z', closedBy: 'visitor',
        waitSeconds: 120, firstResponseSeconds: 140, handleSeconds: 480, durationSeconds: 600,
        messages: { visitor: 1, agent: 1, bot: 1, system: 0 }, transfers: 0, surveyRating: null,
      },
      {
        roomId: s.erased.roomId, rocketchatRoomId: 'RoomErased0003', status: 'closed', departmentId: 'dep-support', departmentName: null, agentId: null,
        openedAt: '2026-11-25T09:00:00.000Z', servedAt: null, closedAt: '2026-11-25T09:30:00.000Z', closedBy: 'system',
        waitSeconds: null, firstResponseSeconds: null, handleSeconds: null, durationSeconds: 1800,
        messages: { visitor: 1, agent: 0, bot: 0, system: 0 }, transfers: 0, surveyRating: null,
      },
    ]);
  });

  it('pages rooms with a cursor', async () => {
    const first = await metrics({ ...NOV, limit: 2 }).expect(200);
    expect(first.body.rooms.map((r: { roomId: string }) => r.roomId)).toEqual([s.maria.roomId, s.joao.roomId]);
    const second = await metrics({ ...NOV, limit: 2, cursor: first.body.nextCursor }).expect(200);
    expect(second.body).toMatchObject({ rooms: [{ roomId: s.erased.roomId }], nextCursor: null });
  });

  it('aggregates per UTC day (avg, median and p90 over rooms where the measure exists)', async () => {
    const res = await metrics({ ...NOV, groupBy: 'day' }).expect(200);
    expect(res.body.groups).toEqual([
      {
        key: '2026-11-24', label: null, rooms: 2, servedRooms: 2, closedRooms: 2,
        waitSeconds: { avg: 77.5, p50: 77.5, p90: 111.5 },
        firstResponseSeconds: { avg: 100, p50: 100, p90: 132 },
        handleSeconds: { avg: 372.5, p50: 372.5, p90: 458.5 },
        messages: { visitor: 4, agent: 3, bot: 1, system: 1 }, transfers: 1,
        closedBy: { visitor: 1, agent: 1, system: 0 },
        csat: { count: 0, average: null, satisfiedShare: null },
      },
      {
        key: '2026-11-25', label: null, rooms: 1, servedRooms: 0, closedRooms: 1,
        waitSeconds: { avg: null, p50: null, p90: null },
        firstResponseSeconds: { avg: null, p50: null, p90: null },
        handleSeconds: { avg: null, p50: null, p90: null },
        messages: { visitor: 1, agent: 0, bot: 0, system: 0 }, transfers: 0,
        closedBy: { visitor: 0, agent: 0, system: 1 },
        csat: { count: 0, average: null, satisfiedShare: null },
      },
    ]);
  });

  it('aggregates per agent (the last serving agent; null when never served) and per department', async () => {
    const agents = await metrics({ ...NOV, groupBy: 'agent' }).expect(200);
    expect(agents.body.groups.map((g: { key: string; label: string; rooms: number; waitSeconds: { avg: number } }) => [g.key, g.label, g.rooms, g.waitSeconds.avg])).toEqual([
      ['agent-ana', 'Ana Lima', 1, 120],
      ['agent-bruno', 'Bruno Reis', 1, 35],
      [null, null, 1, null],
    ]);
    const departments = await metrics({ ...NOV, groupBy: 'department' }).expect(200);
    // label: the department's name; dep-support was never read from Rocket.Chat
    expect(departments.body.groups.map((g: { key: string; label: string | null; transfers: number }) => [g.key, g.label, g.transfers])).toEqual([
      ['dep-billing', 'Billing', 1],
      ['dep-sales', 'Sales', 0],
      ['dep-support', null, 0],
    ]);
  });

  it('selects rooms by opening time in [from, to)', async () => {
    const res = await metrics({ from: '2026-11-24T12:00:00Z', to: '2026-11-24T13:00:00Z' }).expect(200);
    expect(res.body.rooms.map((r: { roomId: string }) => r.roomId)).toEqual([s.maria.roomId]);
  });

  it('matches the room_metrics view an analyst queries', async () => {
    const { rows } = await s.t.db.query(`SELECT wait_seconds, first_response_seconds, handle_seconds, transfers, department_name FROM room_metrics WHERE room_id = $1`, [s.maria.roomId]);
    expect(rows).toEqual([{ wait_seconds: 35, first_response_seconds: 60, handle_seconds: 265, transfers: 1, department_name: 'Billing' }]);
  });

  describe('without from or to', () => {
    const DAY = 86_400_000;
    let recent: Conversation;
    let fresh: Conversation;
    let old: Conversation;
    beforeAll(async () => {
      const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();
      recent = await createConversation(s.t.db, { visitor: { token: 'web-recent', name: 'Recent' }, openedAt: ago(29), steps: [] });
      fresh = await createConversation(s.t.db, { visitor: { token: 'web-fresh', name: 'Fresh' }, openedAt: ago(1), steps: [] });
      old = await createConversation(s.t.db, { visitor: { token: 'web-old', name: 'Old' }, openedAt: ago(31), steps: [] });
    });

    // the scenarios' rooms may fall in the last 30 days too, depending on the day the tests run
    const roomIds = (body: { rooms: Array<{ roomId: string }> }): string[] =>
      body.rooms.map((r) => r.roomId).filter((id) => [recent.roomId, fresh.roomId, old.roomId].includes(id));
    const expectNear = (iso: string, at: number): void => expect(Math.abs(new Date(iso).getTime() - at)).toBeLessThan(60_000);

    it('covers the last 30 days up to now, and says so', async () => {
      const res = await metrics({}).expect(200);
      expectNear(res.body.to, Date.now());
      expectNear(res.body.from, Date.now() - 30 * DAY);
      expect(roomIds(res.body)).toEqual([recent.roomId, fresh.roomId]);
    });

    it('defaults the missing bound only', async () => {
      const since = await metrics({ from: new Date(Date.now() - 2 * DAY).toISOString() }).expect(200);
      expectNear(since.body.to, Date.now());
      expect(roomIds(since.body)).toEqual([fresh.roomId]);
      const until = await metrics({ to: new Date(Date.now() - 2 * DAY).toISOString() }).expect(200);
      expectNear(until.body.from, Date.now() - 30 * DAY);
      expect(roomIds(until.body)).toEqual([recent.roomId]);
    });

    it.each([
      [{ from: '2999-01-01' }, 'from'],
      [{ to: '2026-01-01' }, 'to'],
    ])('answers 400 when the given bound and the default leave no period: %j', async (query, field) => {
      const res = await metrics(query).expect(400);
      expect(res.body.details).toEqual([{ field, errors: [expect.any(String)] }]);
    });
  });

  describe('bad input', () => {
    it.each([
      [{ from: '2026-12-01', to: '2026-11-01' }, ['to']],
      [{ from: '2026-11-01', to: '2026-11-01' }, ['to']],
      [{ to: 'tomorrow' }, ['to']],
      [{ from: '2026-13-01', to: '2026-12-01' }, ['from']],
      [{ ...{ from: '2026-11-01', to: '2026-12-01' }, groupBy: 'week' }, ['groupBy']],
      [{ ...{ from: '2026-11-01', to: '2026-12-01' }, limit: 500 }, ['limit']],
    ])('answers 400 for %j', async (query, fields) => {
      const res = await metrics(query).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
    });
  });
});
