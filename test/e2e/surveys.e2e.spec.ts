import { startHarness, type Harness } from '../support/harness';

jest.setTimeout(60_000);

describe.each(['8.8.1', '7.10.3'])('POST /v1/rooms/:id/survey on Rocket.Chat %s', (version) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ version });
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  const surveys = async (roomId: string) => (await h.t.db.query(`SELECT state, rating, comment FROM room_surveys WHERE room_id = $1`, [roomId])).rows;

  it("records a closed room's survey in Rocket.Chat (its names, string values) and here; a second one is 409", async () => {
    const room = await h.room();
    await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
    const res = await h.post(`/v1/rooms/${room.id}/survey`, { rating: 5, comment: 'Resolvido rápido!', agentFriendliness: 4, agentResponsiveness: 5 }).expect(201);
    expect(res.body).toMatchObject({ roomId: room.id, rating: 5, comment: 'Resolvido rápido!', agentFriendliness: 4, agentResponsiveness: 5 });
    expect(res.body.submittedAt).toEqual(expect.any(String));
    expect(h.sim.store.rooms.get(room.rocketchatRoomId)!.surveyFeedback).toEqual({
      satisfaction: '5',
      additionalFeedback: 'Resolvido rápido!',
      agentFriendliness: '4',
      agentResposiveness: '5',
    });
    const again = await h.post(`/v1/rooms/${room.id}/survey`, { rating: 1 }).expect(409);
    expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(await surveys(room.id)).toEqual([{ state: 'recorded', rating: 5, comment: 'Resolvido rápido!' }]);
    expect(h.sim.store.rooms.get(room.rocketchatRoomId)!.surveyFeedback?.satisfaction).toBe('5');
  });

  it('stores nothing when Rocket.Chat is unavailable (503), so the survey can be sent again', async () => {
    const room = await h.room();
    await h.sim.faults.refuseConnections(true);
    try {
      await h.post(`/v1/rooms/${room.id}/survey`, { rating: 4 }).expect(503);
    } finally {
      await h.sim.faults.refuseConnections(false);
    }
    expect(await surveys(room.id)).toEqual([]);
    await h.post(`/v1/rooms/${room.id}/survey`, { rating: 4 }).expect(201);
  });

  it('refuses bad input with 400 and an unknown room with 404, writing nothing', async () => {
    const room = await h.room();
    for (const body of [{}, { rating: 0 }, { rating: 6 }, { rating: 4.5 }, { rating: '5' }, { rating: 5, comment: 7 }, { rating: 5, agentKnowledge: 9 }, { rating: 5, extra: true }]) {
      const res = await h.post(`/v1/rooms/${room.id}/survey`, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    await h.post('/v1/rooms/00000000-0000-4000-8000-000000000000/survey', { rating: 5 }).expect(404);
    expect(await surveys(room.id)).toEqual([]);
    expect(h.sim.store.rooms.get(room.rocketchatRoomId)!.surveyFeedback).toBeUndefined();
  });

  it('shows CSAT in room_metrics and GET /v1/metrics/rooms (average, share of 4-5, count)', async () => {
    const rooms = [await h.room(), await h.room(), await h.room()];
    await h.post(`/v1/rooms/${rooms[0]!.id}/survey`, { rating: 5 }).expect(201);
    await h.post(`/v1/rooms/${rooms[1]!.id}/survey`, { rating: 2 }).expect(201);
    const { rows } = await h.t.db.query(`SELECT room_id, survey_rating FROM room_metrics WHERE room_id = ANY($1::uuid[]) ORDER BY opened_at`, [rooms.map((r) => r.id)]);
    expect(rows.map((r) => r.survey_rating)).toEqual([5, 2, null]);
    const period = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const perRoom = await h.get(`/v1/metrics/rooms?from=${period.from}&to=${period.to}&limit=100`).expect(200);
    const byId = new Map(perRoom.body.rooms.map((r: { roomId: string; surveyRating: number | null }) => [r.roomId, r.surveyRating]));
    expect(rooms.map((r) => byId.get(r.id))).toEqual([5, 2, null]);
    // every room of this harness opened in the period: the day's group holds all its surveys
    const all = (await h.t.db.query(`SELECT rating FROM room_surveys WHERE state = 'recorded'`)).rows.map((r) => r.rating as number);
    const day = await h.get(`/v1/metrics/rooms?from=${period.from}&to=${period.to}&groupBy=department`).expect(200);
    const csat = day.body.groups.reduce(
      (acc: { count: number; sum: number; satisfied: number }, g: { csat: { count: number; average: number | null; satisfiedShare: number | null } }) => ({
        count: acc.count + g.csat.count,
        sum: acc.sum + (g.csat.average ?? 0) * g.csat.count,
        satisfied: acc.satisfied + (g.csat.satisfiedShare ?? 0) * g.csat.count,
      }),
      { count: 0, sum: 0, satisfied: 0 },
    );
    expect(csat.count).toBe(all.length);
    expect(csat.sum).toBeCloseTo(all.reduce((a, b) => a + b, 0), 2);
    expect(csat.satisfied).toBeCloseTo(all.filter((r) => r >= 4).length, 2);
  });
});
