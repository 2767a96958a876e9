import { createHmac, timingSafeEqual } from 'node:crypto';
import { CALLBACK_OPTIONS, CallbackOptions } from '../../../src/callbacks/callback-options';
import { startHarness, type Harness } from '../../support/harness';
import { waitFor } from '../../support/wait-for';
import { Answer, ReceivedCallback, Receiver } from './receiver';

jest.setTimeout(60_000);

interface Attempt {
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: string;
  httpStatus: number | null;
  error: string | null;
  latencyMs: number;
  attemptedAt: string;
}

const SECRET = 'test-callback-secret-0123456789';

/** Written from the spec of the header, independently of src/: t=<seconds>,v1=<hex HMAC-SHA256("<t>.<body>")>. */
function independentlyVerified(secret: string, header: string, rawBody: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  mac.update(Buffer.from(`${match[1]}.${rawBody}`, 'utf8'));
  return timingSafeEqual(mac.digest(), Buffer.from(match[2]!, 'hex'));
}

describe('signed callbacks', () => {
  let h: Harness;
  let options: CallbackOptions;
  let defaults: CallbackOptions;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    h = await startHarness({ env: { CALLBACK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    options = h.t.app.get<CallbackOptions>(CALLBACK_OPTIONS);
    // short backoff so a retry schedule plays out in a second or two
    Object.assign(options, { retryBaseMs: 40, retryMaxMs: 400, timeoutMs: 500 });
    defaults = { ...options };
  });
  afterEach(async () => {
    Object.assign(options, defaults);
    for (const s of (await h.t.http.get('/v1/subscriptions').set('Authorization', h.t.admin)).body.items as Array<{ id: string }>) {
      await h.t.http.delete(`/v1/subscriptions/${s.id}`).set('Authorization', h.t.admin).expect(204);
    }
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });
  afterAll(() => h.close());

  async function receiver(answer?: Answer): Promise<Receiver> {
    const r = await Receiver.start(answer);
    receivers.push(r);
    return r;
  }
  async function subscribe(url: string, events: string[]): Promise<string> {
    return (await h.post('/v1/subscriptions', { url, events, secret: SECRET }).expect(201)).body.id;
  }
  async function say(roomId: string, text: string): Promise<void> {
    expect([201, 202]).toContain((await h.post(`/v1/rooms/${roomId}/messages`, { text })).status);
  }
  async function deliveries(id: string): Promise<Attempt[]> {
    const res = await h.t.http.get(`/v1/subscriptions/${id}/deliveries?limit=100`).set('Authorization', h.t.admin).expect(200);
    return (res.body.items as Attempt[]).slice().reverse();
  }
  async function roomEvents(roomId: string): Promise<Array<{ id: string; type: string }>> {
    return (await h.t.db.query(`SELECT id::text, type FROM live_events WHERE room_id = $1 ORDER BY id`, [roomId])).rows;
  }
  const waitForRoom = (r: Receiver, roomId: string, count: number): Promise<ReceivedCallback[]> =>
    waitFor(() => r.forRoom(roomId), (got) => got.length >= count, 15_000);

  describe('delivery', () => {
    it('POSTs each subscribed event with headers and a signature an independent implementation verifies', async () => {
      const r = await receiver();
      const id = await subscribe(r.url, ['message.created', 'room.closed']);
      const room = (await h.room()).id;
      await say(room, 'hello callbacks');
      await h.post(`/v1/rooms/${room}/close`, {}).expect(200);
      // deliveries run in parallel: the event id, not the arrival, gives the order
      const got = (await waitForRoom(r, room, 2)).slice().sort((a, b) => Number(BigInt(a.body.id) - BigInt(b.body.id)));
      expect(got.map((c) => c.body.type)).toEqual(['message.created', 'room.closed']);
      for (const c of got) {
        expect(c.headers['content-type']).toBe('application/json');
        expect(c.headers['omnigate-event-id']).toBe(c.body.id);
        expect(c.headers['omnigate-event-type']).toBe(c.body.type);
        const signature = String(c.headers['omnigate-signature']);
        expect(independentlyVerified(SECRET, signature, c.rawBody)).toBe(true);
        expect(independentlyVerified('another-secret-0123456789', signature, c.rawBody)).toBe(false);
        expect(independentlyVerified(SECRET, signature, `${c.rawBody} `)).toBe(false);
        expect(Math.abs(Number(/t=(\d+)/.exec(signature)![1]) - Date.now() / 1000)).toBeLessThan(60);
      }
      expect(got[0]!.body).toMatchObject({ roomId: room, data: { text: 'hello callbacks', authorType: 'visitor' } });
      expect(Number.isNaN(Date.parse(got[0]!.body.createdAt))).toBe(false);
      const attempts = await waitFor(() => deliveries(id), (a) => a.length >= 2);
      const byEvent = (x: Attempt, y: Attempt): number => Number(BigInt(x.eventId) - BigInt(y.eventId));
      expect(attempts.sort(byEvent).map((a) => [a.eventId, a.outcome, a.attempt, a.httpStatus])).toEqual(got.map((c) => [c.body.id, 'delivered', 1, 200]));
      const metrics = (await h.t.http.get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/omnigate_callback_attempts_total\{outcome="delivered"\} [1-9]/);
      expect(metrics).toMatch(/omnigate_callback_latency_seconds_count\{outcome="delivered"\} [1-9]/);
    });

    it('sends no event of a type the subscription did not ask for, and none logged before it existed', async () => {
      const before = (await h.room()).id;
      await say(before, 'before the subscription');
      const r = await receiver();
      const id = await subscribe(r.url, ['room.closed']);
      const room = (await h.room()).id;
      await say(room, 'not subscribed');
      await h.post(`/v1/rooms/${room}/close`, {}).expect(200);
      await h.post(`/v1/rooms/${before}/close`, {}).expect(200);
      const got = await waitFor(() => r.received, (g) => g.length >= 2, 15_000);
      const types = new Set((await roomEvents(room)).map((e) => e.type));
      expect([...types]).toEqual(expect.arrayContaining(['message.created', 'room.closed']));
      expect(got.map((c) => c.body.type)).toEqual(['room.closed', 'room.closed']);
      expect(got.map((c) => c.body.roomId).sort()).toEqual([room, before].sort());
      // the message events of both rooms were dispatched (cursor past them), yet never attempted here
      expect((await deliveries(id)).every((a) => a.eventType === 'room.closed')).toBe(true);
    });
  });

  describe('retries', () => {
    it('retries a timeout, 5xx and 429 with growing backoff, then delivers', async () => {
      const answers: Array<number | 'hang'> = ['hang', 500, 429, 503, 200];
      const r = await receiver((k) => answers[k - 1] ?? 200);
      const id = await subscribe(r.url, ['message.created']);
      const room = (await h.room()).id;
      await say(room, 'retry me');
      const attempts = await waitFor(() => deliveries(id), (a) => a.some((x) => x.outcome === 'delivered'), 20_000);
      expect(attempts.map((a) => [a.attempt, a.outcome, a.httpStatus])).toEqual([
        [1, 'retrying', null],
        [2, 'retrying', 500],
        [3, 'retrying', 429],
        [4, 'retrying', 503],
        [5, 'delivered', 200],
      ]);
      expect(attempts[0]!.error).toBe('timeout after 500 ms');
      expect(new Set(attempts.map((a) => a.eventId)).size).toBe(1);
      // attempt n+1 starts no earlier than half of min(max, base * 2^(n-1)) after attempt n answered
      const got = r.forRoom(room);
      expect(got).toHaveLength(5);
      for (let k = 1; k < got.length; k++) {
        const floor = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** (k - 1)) / 2;
        const answeredAt = got[k - 1]!.at + (k === 1 ? options.timeoutMs : 0);
        expect(got[k]!.at - answeredAt).toBeGreaterThanOrEqual(floor - 5);
      }
      expect(new Set(got.map((c) => c.headers['omnigate-event-id'])).size).toBe(1);
    });

    it('retries a refused connection, and gives up once the event is older than the retry window', async () => {
      const id = await subscribe('http://127.0.0.1:9/callbacks', ['message.created']);
      const room = (await h.room()).id;
      await say(room, 'nobody listens');
      // within the window (the default, hours): retried; then the window shrinks below the event's age
      await waitFor(() => deliveries(id), (a) => a.some((x) => x.outcome === 'retrying'), 20_000);
      options.maxAgeMs = 1;
      const attempts = await waitFor(() => deliveries(id), (a) => a.some((x) => x.outcome === 'gave_up'), 20_000);
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(attempts.slice(0, -1).every((a) => a.outcome === 'retrying')).toBe(true);
      expect(attempts[attempts.length - 1]!.outcome).toBe('gave_up');
      expect(attempts[0]!.error).toMatch(/^network error: /);
      const subscription = (await h.t.http.get(`/v1/subscriptions/${id}`).set('Authorization', h.t.admin).expect(200)).body;
      expect(subscription.consecutiveFailures).toBe(1);
    });

    it('does not retry a 4xx other than 429', async () => {
      const r = await receiver(() => 422);
      const id = await subscribe(r.url, ['message.created']);
      const room = (await h.room()).id;
      await say(room, 'refused');
      const attempts = await waitFor(() => deliveries(id), (a) => a.length >= 1);
      expect(attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'failed', httpStatus: 422, error: 'HTTP 422' })]);
      // a retry would have been enqueued in the transaction that recorded the attempt
      const successors = await h.t.db.query(`SELECT 1 FROM pgboss.job WHERE name = 'callback-delivery' AND data->>'subscriptionId' = $1 AND (data->>'attempt')::int > 1`, [id]);
      expect(successors.rowCount).toBe(0);
      expect(r.received).toHaveLength(1);
    });
  });

  it('disables a subscription after a run of failed deliveries and sends it nothing more', async () => {
    options.disableAfterFailures = 3;
    const failing = await receiver(() => 410);
    const witness = await receiver();
    const id = await subscribe(failing.url, ['message.created']);
    const room = (await h.room()).id;
    for (const text of ['one', 'two', 'three']) await say(room, text);
    const subscription = await waitFor(
      async () => (await h.t.http.get(`/v1/subscriptions/${id}`).set('Authorization', h.t.admin)).body,
      (s) => s.disabledAt !== null,
      15_000,
    );
    expect(subscription).toMatchObject({ consecutiveFailures: 3, disabledReason: expect.stringContaining('3 deliveries in a row failed') });
    expect((await deliveries(id)).map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed']);
    await subscribe(witness.url, ['message.created']);
    await say(room, 'four');
    await waitForRoom(witness, room, 1);
    expect(failing.received).toHaveLength(3);
    expect(await deliveries(id)).toHaveLength(3);
  });
});
