import { fixture, postWebhook, resetConversations, webhookGateway } from './support';

/**
 * A new message in a known room goes through one statement (webhooks/new-message.statement.ts);
 * everything else through the handlers. Both must leave the same rows.
 */
describe('the one-statement path for a new message', () => {
  const gateway = webhookGateway();

  /** The message row, the room's counters, the live event and the delivery record, without generated ids. */
  async function state() {
    const message = await gateway.t.db.query(
      `SELECT rocketchat_message_id, author_type, author_id, author_username, author_name, text, attachments, system_type, sent_at, edited_at, delivery_status FROM messages`,
    );
    const room = await gateway.t.db.query('SELECT message_count, last_message_at FROM rooms');
    const events = await gateway.t.db.query(`SELECT type, data - 'id' - 'roomId' AS data FROM live_events WHERE type = 'message.created'`);
    const deliveries = await gateway.t.db.query(`SELECT event_type, rocketchat_room_id, dedupe_key, payload, outcome FROM webhook_receipts WHERE event_type = 'Message'`);
    return { message: message.rows, room: room.rows, events: events.rows, deliveries: deliveries.rows };
  }

  it('stores what the general path stores', async () => {
    const start = fixture('LivechatSessionStart');
    const visitorMessage = fixture('Message-visitor');

    // the room is known: the one statement
    await postWebhook(gateway.t, start).expect(200);
    await postWebhook(gateway.t, visitorMessage).expect(200);
    const fast = await state();
    const roomId = (await gateway.t.db.query('SELECT id FROM rooms')).rows[0].id as string;
    expect((await gateway.t.db.query(`SELECT data->>'roomId' AS room FROM live_events WHERE type = 'message.created'`)).rows).toEqual([{ room: roomId }]);

    // the room unknown when the message comes: the handlers (they create the room), then the start
    await resetConversations(gateway.t.db);
    await postWebhook(gateway.t, visitorMessage).expect(200);
    await postWebhook(gateway.t, start).expect(200);
    expect(await state()).toEqual(fast);
    expect(fast.message).toHaveLength(1);
    expect(fast.room).toEqual([expect.objectContaining({ message_count: 1 })]);
  });

  it('writes nothing on a redelivery and answers 200 with the room', async () => {
    await postWebhook(gateway.t, fixture('LivechatSessionStart')).expect(200);
    const first = await postWebhook(gateway.t, fixture('Message-agent')).expect(200);
    const again = await postWebhook(gateway.t, fixture('Message-agent')).expect(200);
    expect(again.body).toEqual(first.body);
    expect((await state()).message).toHaveLength(1);
    expect((await gateway.t.db.query(`SELECT outcome FROM webhook_receipts WHERE event_type = 'Message' ORDER BY id`)).rows.map((r) => r.outcome)).toEqual(['applied', 'duplicate']);
  });

  it('batches concurrent deliveries, and one bad delivery in a batch fails only itself', async () => {
    await postWebhook(gateway.t, fixture('LivechatSessionStart')).expect(200);
    // a delivery the database refuses (a constraint of this test only): its batch falls back to one statement each
    await gateway.t.db.query(`ALTER TABLE messages ADD CONSTRAINT test_no_poison CHECK (text <> 'poison')`);
    try {
      const bodies = Array.from({ length: 12 }, (_, i) => {
        const body = fixture('Message-visitor');
        const m = (body.messages as Array<Record<string, unknown>>)[0]!;
        m._id = `batchMessage${String(i).padStart(5, '0')}`;
        m.msg = i === 5 ? 'poison' : `message ${i}`;
        return body;
      });
      const answers = await Promise.all(bodies.map((b) => postWebhook(gateway.t, b)));
      expect(answers.map((a) => a.status)).toEqual(bodies.map((_, i) => (i === 5 ? 500 : 200)));
      const { rows } = await gateway.t.db.query(`SELECT text FROM messages WHERE rocketchat_message_id LIKE 'batchMessage%' ORDER BY rocketchat_message_id`);
      expect(rows.map((r) => r.text)).toEqual(bodies.filter((_, i) => i !== 5).map((_, i) => `message ${i < 5 ? i : i + 1}`));
      // counters and events match the rows written, nothing for the refused one
      const room = (await gateway.t.db.query('SELECT message_count FROM rooms')).rows[0];
      const created = (await gateway.t.db.query(`SELECT count(*)::int AS n FROM live_events WHERE type = 'message.created'`)).rows[0];
      expect({ count: room.message_count, events: created.n }).toEqual({ count: 11, events: 11 });
    } finally {
      await gateway.t.db.query(`ALTER TABLE messages DROP CONSTRAINT test_no_poison`);
    }
  });
});
