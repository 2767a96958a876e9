import { startHarness, type Harness } from '../support/harness';

/** JSON routes take JSON only; the files route takes multipart only. A refusal writes nothing. */
describe('content types', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const visitors = async () => (await h.t.db.query('SELECT count(*)::int AS n FROM visitors')).rows[0].n as number;

  it.each([
    ['application/x-www-form-urlencoded', 'token=form-visitor&name=Form'],
    ['text/plain', '{"token":"text-visitor"}'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="token"\r\n\r\nmp\r\n--x--\r\n'],
  ])('answers 415 naming application/json to %s, and writes nothing', async (type, body) => {
    const before = await visitors();
    const res = await h.t.http.post('/v1/visitors').set('Authorization', h.t.admin).set('Content-Type', type).send(body).expect(415);
    expect(res.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: `Content-Type must be application/json (got ${type.split(';')[0]})`,
      details: { expected: 'application/json', received: type.split(';')[0] },
    });
    expect(await visitors()).toBe(before);
  });

  it('takes application/json and the +json types', async () => {
    await h.t.http.post('/v1/visitors').set('Authorization', h.t.admin).set('Content-Type', 'application/json; charset=utf-8').send('{"token":"json-visitor"}').expect(201);
    await h.t.http.post('/v1/visitors').set('Authorization', h.t.admin).set('Content-Type', 'application/merge-patch+json').send('{"token":"plus-json-visitor"}').expect(201);
  });

  it('takes a POST without a body', async () => {
    const room = await h.room();
    await h.t.http.post(`/v1/rooms/${room.id}/close`).set('Authorization', h.t.admin).expect(200);
  });

  it('answers 415 naming multipart/form-data to JSON on the files route', async () => {
    const room = await h.room();
    const res = await h.post(`/v1/rooms/${room.id}/files`, { file: 'x' }).expect(415);
    expect(res.body.message).toBe('Content-Type must be multipart/form-data (got application/json)');
  });
});
