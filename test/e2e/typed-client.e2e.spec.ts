import { createOmnigateClient, type OmnigateClient } from '../../clients/typescript/src';
import { startHarness, type Harness } from '../support/harness';

jest.setTimeout(60_000);

/** The typed client of clients/typescript against a real gateway over HTTP, as an app would use it. */
describe('clients/typescript against the gateway', () => {
  let h: Harness;
  let og: OmnigateClient;

  beforeAll(async () => {
    // webhook: true makes the gateway listen on a port (the client speaks real HTTP)
    h = await startHarness({ webhook: true });
    og = createOmnigateClient({ baseUrl: h.url!, apiKey: h.t.admin.replace(/^Bearer /, '') });
  });
  afterAll(() => h.close());

  it('registers a visitor, opens a room, sends a message once with an Idempotency-Key, reads it back and rates the room', async () => {
    const visitor = await og.POST('/v1/visitors', { body: { token: 'typed-client-1', name: 'Maria Souza' } });
    expect(visitor.response.status).toBe(201);
    expect(visitor.data?.token).toBe('typed-client-1');

    const room = await og.POST('/v1/rooms', { body: { visitorToken: 'typed-client-1' } });
    expect(room.response.status).toBe(201);
    const roomId = room.data!.id;

    const send = () =>
      og.POST('/v1/rooms/{id}/messages', { params: { path: { id: roomId }, header: { 'Idempotency-Key': 'typed-1' } }, body: { text: 'Olá, meu pedido não chegou' } });
    const first = await send();
    const again = await send();
    expect(first.response.status).toBe(201);
    expect(again.data).toEqual(first.data);
    expect(first.data?.deliveryStatus).toBe('sent');

    const messages = await og.GET('/v1/rooms/{id}/messages', { params: { path: { id: roomId }, query: { limit: 10 } } });
    expect(messages.data?.items.filter((m) => m.authorType === 'visitor').map((m) => m.text)).toEqual(['Olá, meu pedido não chegou']);

    const survey = await og.POST('/v1/rooms/{id}/survey', { params: { path: { id: roomId } }, body: { rating: 5, comment: 'Obrigado!' } });
    expect(survey.response.status).toBe(201);
    expect(survey.data).toMatchObject({ roomId, rating: 5 });
  });

  it('answers errors in their documented shape', async () => {
    const missing = await og.GET('/v1/rooms/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.data).toBeUndefined();
    expect(missing.error).toMatchObject({ statusCode: 404, error: 'Not Found' });

    const bad = await og.POST('/v1/rooms/{id}/survey', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } }, body: { rating: 9 } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.message).toContain('rating');
  });
});
