import { startTestApp, TestApp } from '../../support/test-app';
import { count, fixture, Fixture, postWebhook, shuffled, snapshot, STORY, WEBHOOK_TOKEN, resetConversations } from './support';

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

const LIFECYCLE = STORY.filter((n) => !n.startsWith('Message'));
const MESSAGES = STORY.filter((n) => n.startsWith('Message'));

describe('POST /webhooks/rocketchat: redeliveries and out-of-order deliveries', () => {
  let t: TestApp;
  let inOrder: Snapshot;

  async function replay(names: readonly string[]): Promise<Snapshot> {
    await resetConversations(t.db);
    for (const name of names) {
      const res = await postWebhook(t, fixture(name));
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
    }
    return snapshot(t.db);
  }

  beforeAll(async () => {
    t = await startTestApp({ ROCKETCHAT_WEBHOOK_TOKEN: WEBHOOK_TOKEN, RECONCILE_INTERVAL_MS: '0' });
    inOrder = await replay(STORY);
  });
  afterAll(async () => t?.close());

  it('changes nothing when every delivery comes three times, and records the repeats as duplicates', async () => {
    expect(await replay(STORY.flatMap((n) => [n, n, n]))).toEqual(inOrder);
    const { rows } = await t.db.query(`SELECT outcome, count(*)::int AS n FROM webhook_receipts GROUP BY outcome ORDER BY outcome`);
    // Queued says what Start said: 6 applied, 1 + 7 × 2 duplicates
    expect(rows).toEqual([
      { outcome: 'applied', n: 6 },
      { outcome: 'duplicate', n: 15 },
    ]);
    expect(await count(t.db, 'messages')).toBe(5);
    expect(await count(t.db, 'room_history')).toBe(5);
  });

  it('reaches the same state when three copies of every delivery arrive shuffled, lifecycle events in their order', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const messages = shuffled(MESSAGES.flatMap((n) => [n, n, n]), seed);
      // messages interleaved anywhere among the lifecycle events (kept in order, each three times)
      const names = [...LIFECYCLE.flatMap((n) => [n, n, n])];
      for (const [i, m] of messages.entries()) names.splice(Math.floor((i * 7 + seed) % (names.length + 1)), 0, m);
      expect({ seed, state: await replay(names) }).toEqual({ seed, state: inOrder });
    }
  });

  // Needs room-state.ts to take the earliest served_at and the close's serving agent (test/unit/rooms/room-state.spec.ts):
  // with first-come served_at and an agent-less close, a close or forward overtaking the take loses them.
  it('reaches the same state whatever the order of the lifecycle events (close first, forward before take, ...)', async () => {
    for (const seed of [11, 12, 13, 14, 15, 16, 17, 18]) {
      const names = shuffled(STORY.flatMap((n) => [n, n, n]), seed);
      expect({ seed, state: await replay(names) }).toEqual({ seed, state: inOrder });
    }
  });

  it('never rolls a room back: an older Taken after the forward keeps the new agent', async () => {
    const state = await replay(['LivechatSessionStart', 'LivechatSessionForwarded', 'LivechatSessionTaken']);
    expect(state.rooms[0]).toMatchObject({ status: 'open', agent_username: 'ana.agent' });
  });

  it('keeps a closed room closed when late events arrive', async () => {
    const state = await replay(['LivechatSession-close-by-agent', 'LivechatSessionTaken', 'LivechatSessionQueued', 'Message-agent']);
    expect(state.rooms[0]).toMatchObject({ status: 'closed', closed_by: 'agent', message_count: 5 });
  });

  it('updates an edited message and keeps its first version in the history', async () => {
    await replay(['Message-visitor']);
    const edited: Fixture = fixture('Message-visitor');
    const m = (edited.messages as Array<Record<string, unknown>>)[0]!;
    m.msg = 'Olá, meu pedido 48213 não chegou';
    m.editedAt = '2026-11-24T12:00:30.000Z';
    for (let i = 0; i < 2; i++) expect((await postWebhook(t, edited)).status).toBe(200);
    expect((await t.db.query('SELECT text, edited_at FROM messages')).rows).toEqual([{ text: 'Olá, meu pedido 48213 não chegou', edited_at: new Date('2026-11-24T12:00:30.000Z') }]);
    const history = await t.db.query(`SELECT data FROM room_history WHERE type = 'message_edited'`);
    expect(history.rows).toEqual([{ data: expect.objectContaining({ previousText: 'Olá, meu pedido não chegou', text: 'Olá, meu pedido 48213 não chegou' }) }]);
    // the original delivery again (older): the edit stays
    expect((await postWebhook(t, fixture('Message-visitor'))).status).toBe(200);
    expect((await t.db.query('SELECT text FROM messages')).rows).toEqual([{ text: 'Olá, meu pedido 48213 não chegou' }]);
  });

  it('uses the receipt time for a close without closedAt', async () => {
    await replay(['LivechatSessionTaken']);
    const close = fixture('LivechatSession-close-by-agent');
    delete close.closedAt;
    const before = Date.now();
    expect((await postWebhook(t, close)).status).toBe(200);
    const { rows } = await t.db.query('SELECT closed_at FROM rooms');
    expect(rows[0].closed_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('maps closer visitor and the rocket.cat inactivity close', async () => {
    await replay([]);
    const byVisitor = { ...fixture('LivechatSession-close-by-agent'), closer: 'visitor', closedBy: { _id: 'Lm2yGp8dRk4sTnQaW', username: 'guest-412' } };
    await postWebhook(t, byVisitor);
    const bot = { ...fixture('LivechatSession-close-by-agent'), _id: 'otherRoom1', closer: 'user', closedBy: { _id: 'rocket.cat', username: 'rocket.cat' }, messages: [] };
    await postWebhook(t, bot);
    const { rows } = await t.db.query('SELECT rocketchat_room_id, closed_by FROM rooms ORDER BY rocketchat_room_id');
    expect(rows).toEqual([
      { rocketchat_room_id: '9kRtHqYwXcPm3aZbE', closed_by: 'visitor' },
      { rocketchat_room_id: 'otherRoom1', closed_by: 'system' },
    ]);
  });
});
