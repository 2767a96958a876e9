import { DataSource } from 'typeorm';
import { MessageOutbox } from '../../src/messages/message-outbox';
import { RoomLoss } from '../../src/rooms/room-loss';
import { startHarness, type Harness } from '../support/harness';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

describe('visitor messages: nothing lost, nothing doubled', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { ROCKETCHAT_TIMEOUT_MS: '400' } });
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  const simTexts = (rid: string) => h.sim.store.messages(rid).filter((m) => !m.t).map((m) => m.msg);
  const messageRows = async (roomId: string) =>
    (await h.t.db.query('SELECT id, text, delivery_status FROM messages WHERE room_id = $1 AND author_type = $2 ORDER BY seq', [roomId, 'visitor'])).rows;

  it('delivers with omnigate\'s id as Rocket.Chat\'s _id and answers 201 sent', async () => {
    const room = await h.room();
    const res = await h.post(`/v1/rooms/${room.id}/messages`, {
      text: 'Olá, meu pedido não chegou',
      attachments: [{ url: 'https://shop.example.com/orders/48213', title: 'Order 48213' }],
    }).expect(201);
    expect(res.body).toMatchObject({ authorType: 'visitor', deliveryStatus: 'sent', rocketchatMessageId: res.body.id, roomId: room.id });
    expect(res.body.attachments).toEqual([{ kind: 'attachment', url: 'https://shop.example.com/orders/48213', title: 'Order 48213' }]);
    const stored = h.sim.store.message(res.body.id);
    expect(stored).toMatchObject({ rid: room.rocketchatRoomId, msg: 'Olá, meu pedido não chegou\n[Order 48213](https://shop.example.com/orders/48213)' });
  });

  it('names the visitor as the author, in the conversation and in the live event', async () => {
    const room = await h.room();
    const sent = (await h.post(`/v1/rooms/${room.id}/messages`, { text: 'who am I?' }).expect(201)).body;
    const visitor = h.sim.store.visitorByToken(room.token)!;
    expect(sent).toMatchObject({ authorName: visitor.name, authorUsername: visitor.username });
    const listed = (await h.get(`/v1/rooms/${room.id}/messages`).expect(200)).body.items.find((m: { id: string }) => m.id === sent.id);
    expect(listed).toMatchObject({ authorName: visitor.name, authorUsername: visitor.username });
    const { rows } = await h.t.db.query(`SELECT data FROM live_events WHERE type = 'message.created' AND data->>'id' = $1`, [sent.id]);
    expect(rows[0].data).toMatchObject({ authorName: visitor.name, authorUsername: visitor.username });
  });

  it('reads the conversation in order, pages with a cursor and answers what is new after a message', async () => {
    const room = await h.room();
    const ids: string[] = [];
    for (const i of [1, 2, 3, 4, 5]) ids.push((await h.post(`/v1/rooms/${room.id}/messages`, { text: `m${i}` }).expect(201)).body.id);
    const page1 = await h.get(`/v1/rooms/${room.id}/messages?limit=2`).expect(200);
    expect(page1.body.items.map((m: { text: string }) => m.text)).toEqual(['m1', 'm2']);
    const page2 = await h.get(`/v1/rooms/${room.rocketchatRoomId}/messages?limit=2&cursor=${page1.body.nextCursor}`).expect(200);
    expect(page2.body.items.map((m: { text: string }) => m.text)).toEqual(['m3', 'm4']);
    const after = await h.get(`/v1/rooms/${room.id}/messages?after=${ids[3]}`).expect(200);
    expect(after.body).toMatchObject({ items: [{ text: 'm5' }], nextCursor: null });
    await h.get(`/v1/rooms/${room.id}/messages?after=not-a-uuid`).expect(400);
    await h.get(`/v1/rooms/${room.id}/messages?limit=501`).expect(400);
  });

  describe('validation', () => {
    it.each([
      [{}, ['text']],
      [{ text: '' }, ['text']],
      [{ text: 'x'.repeat(5001) }, ['text']],
      [{ text: 42 }, ['text']],
      [{ text: 'ok', attachments: [{ url: 'javascript:alert(1)' }] }, ['attachments.0.url']],
      [{ text: 'ok', extra: 1 }, ['extra']],
    ])('answers 400 and writes nothing (case %#)', async (body, fields) => {
      const room = await h.room();
      const res = await h.post(`/v1/rooms/${room.id}/messages`, body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(fields);
      expect(await messageRows(room.id)).toEqual([]);
    });

    it('answers 409 for a room known closed, writing nothing, and 404 for an unknown room', async () => {
      const room = await h.room();
      await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
      await h.post(`/v1/rooms/${room.id}/messages`, { text: 'too late' }).expect(409);
      expect(await messageRows(room.id)).toEqual([]);
      await h.post('/v1/rooms/00000000-0000-4000-8000-000000000000/messages', { text: 'x' }).expect(404);
    });
  });

  it('answers 409 failed with Rocket.Chat\'s reason when Rocket.Chat refuses for good', async () => {
    const room = await h.room();
    await h.sim.closeRoom(room.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' }); // omnigate has not heard of it
    const res = await h.post(`/v1/rooms/${room.id}/messages`, { text: 'after the close' }).expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      details: { message: { text: 'after the close', deliveryStatus: 'failed', deliveryError: 'room-closed' }, rocketchat: { reason: 'room-closed' } },
    });
    expect(await messageRows(room.id)).toEqual([expect.objectContaining({ delivery_status: 'failed' })]);
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same body and refuses another body with 422', async () => {
      const room = await h.room();
      const send = (text: string) => h.post(`/v1/rooms/${room.id}/messages`, { text }).set('Idempotency-Key', `key-${room.id}`);
      const first = await send('hello once').expect(201);
      const again = await send('hello once').expect(201);
      expect(again.body).toEqual(first.body);
      const other = await send('something else').expect(422);
      expect(other.body.message).toContain('Idempotency-Key');
      expect(await messageRows(room.id)).toHaveLength(1);
      expect(simTexts(room.rocketchatRoomId)).toEqual(['hello once']);
    });

    it('creates one message for concurrent requests with the same key', async () => {
      const room = await h.room();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => h.post(`/v1/rooms/${room.id}/messages`, { text: 'racing' }).set('Idempotency-Key', `race-${room.id}`)),
      );
      expect(answers.every((a) => a.status === 201 || a.status === 202)).toBe(true);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await messageRows(room.id)).toHaveLength(1);
      await waitFor(() => simTexts(room.rocketchatRoomId), (m) => m.length === 1);
      expect(simTexts(room.rocketchatRoomId)).toEqual(['racing']);
    });

    it('replays a refusal as it was answered (409, the same body), without a second attempt', async () => {
      const room = await h.room();
      await h.sim.closeRoom(room.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' });
      const send = () => h.post(`/v1/rooms/${room.id}/messages`, { text: 'refused once' }).set('Idempotency-Key', `refused-${room.id}`);
      const first = await send().expect(409);
      expect(first.body).toMatchObject({ statusCode: 409, details: { message: { deliveryStatus: 'failed' }, rocketchat: { reason: 'room-closed' } } });
      expect((await send().expect(409)).body).toEqual(first.body);
      expect(await messageRows(room.id)).toHaveLength(1);
    });

    it('answers keys stored before the upgrade as they were (the migration converts HTTP answers to outcomes and back)', async () => {
      const sentRoom = await h.room();
      const refusedRoom = await h.room();
      await h.sim.closeRoom(refusedRoom.rocketchatRoomId, { by: 'agent', agentUsername: 'ana.agent' });
      const sendTo = (roomId: string) => () => h.post(`/v1/rooms/${roomId}/messages`, { text: 'across the upgrade' }).set('Idempotency-Key', `upgrade-${roomId}`);
      const sent = await sendTo(sentRoom.id)().expect(201);
      const refused = await sendTo(refusedRoom.id)().expect(409);

      const dataSource = h.t.app.get(DataSource);
      const applied = async (): Promise<boolean> =>
        (await h.t.db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'IdempotencyOutcomes1764630000000'`)).rowCount === 1;
      while (await applied()) await dataSource.undoLastMigration({ transaction: 'each' });
      const { rows } = await h.t.db.query(`SELECT key, response_status, response_body FROM idempotency_keys WHERE key LIKE 'upgrade-%'`);
      const before = Object.fromEntries(rows.map((r) => [r.key, { status: r.response_status, body: r.response_body }]));
      expect(before[`upgrade-${sentRoom.id}`]).toEqual({ status: 201, body: sent.body });
      expect(before[`upgrade-${refusedRoom.id}`]).toEqual({ status: 409, body: refused.body });

      await dataSource.runMigrations({ transaction: 'each' });
      expect((await sendTo(sentRoom.id)().expect(201)).body).toEqual(sent.body);
      expect((await sendTo(refusedRoom.id)().expect(409)).body).toEqual(refused.body);
      expect(simTexts(sentRoom.rocketchatRoomId)).toEqual(['across the upgrade']);
    });

    it('refuses a malformed key', async () => {
      const room = await h.room();
      await h.post(`/v1/rooms/${room.id}/messages`, { text: 'x' }).set('Idempotency-Key', 'has space').expect(400);
    });
  });

  it('survives an outage: 202 pending while Rocket.Chat is down, then every message exactly once, in order per room', async () => {
    const rooms = await Promise.all([h.room(), h.room(), h.room(), h.room()]);
    await h.sim.faults.refuseConnections(true);
    const sent: Record<string, string[]> = {};
    try {
      for (let i = 0; i < 200; i++) {
        const room = rooms[i % rooms.length]!;
        const res = await h.post(`/v1/rooms/${room.id}/messages`, { text: `burst ${i}` });
        expect(res.status).toBe(202);
        expect(res.body.deliveryStatus).toBe('pending');
        (sent[room.rocketchatRoomId] ??= []).push(`burst ${i}`);
      }
    } finally {
      await h.sim.faults.refuseConnections(false);
    }
    for (const room of rooms) {
      const delivered = await waitFor(() => simTexts(room.rocketchatRoomId), (m) => m.length >= 50, 30_000);
      expect(delivered).toEqual(sent[room.rocketchatRoomId]);
      await waitFor(() => messageRows(room.id), (rows) => rows.every((r) => r.delivery_status === 'sent'), 10_000);
      expect((await messageRows(room.id)).map((r) => r.delivery_status)).toEqual(Array(50).fill('sent'));
    }
  });

  it('answers what the row holds when another path settled the message during its attempt (the room recorded lost meanwhile)', async () => {
    const room = await h.room();
    const held = h.sim.faults.holdNext('POST livechat/message');
    const answer = h.post(`/v1/rooms/${room.id}/messages`, { text: 'in flight while the room is lost' }).then((r) => r);
    await held.reached;
    // another message of the room learnt meanwhile that Rocket.Chat had closed it: its pending messages end failed
    await h.t.app.get(RoomLoss).record(room.id, 'room-closed');
    held.release();
    const res = await answer;
    expect(res.status).toBe(409);
    expect(res.body.details.message).toMatchObject({ deliveryStatus: 'failed', deliveryError: 'room-closed' });
    expect((await messageRows(room.id)).map((r) => r.delivery_status)).toEqual(['failed']);
    expect((await h.get(`/v1/rooms/${room.id}/messages`).expect(200)).body.items[0]).toMatchObject({ id: res.body.details.message.id, deliveryStatus: 'failed' });
  });

  it('settles a message once when several settlements race: one counts, one message.delivery event', async () => {
    const room = await h.room();
    await h.sim.faults.refuseConnections(true);
    const ids: string[] = [];
    try {
      for (const text of ['first', 'second', 'settled once']) ids.push((await h.post(`/v1/rooms/${room.id}/messages`, { text }).expect(202)).body.id);
    } finally {
      await h.sim.faults.refuseConnections(false);
    }
    const [a, b, id] = ids as [string, string, string];
    const texts: Record<string, string> = { [a]: 'first', [b]: 'second', [id]: 'settled once' };
    const outbox = h.t.app.get(MessageOutbox);
    // among other settlements in flight (a, b)
    const settle = (messageId: string) => outbox.settle({ id: messageId, roomId: room.id, text: texts[messageId]! }, 'sent', null);
    const [first, second, ...counted] = await Promise.all([settle(a), settle(b), settle(id), settle(id), settle(id), settle(id)]);
    expect([first, second]).toEqual([true, true]);
    expect(counted.filter(Boolean)).toEqual([true]);
    const { rows } = await h.t.db.query(`SELECT count(*)::int AS n FROM live_events WHERE type = 'message.delivery' AND data->>'id' = $1`, [id]);
    expect(rows[0].n).toBe(1);
    expect((await messageRows(room.id)).map((r) => r.delivery_status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('recovers a lost answer: Rocket.Chat stored it, the retry sees the _id and marks it sent, no duplicate', async () => {
    const room = await h.room();
    h.sim.faults.timeoutNext(1, 'POST livechat/message');
    const res = await h.post(`/v1/rooms/${room.id}/messages`, { text: 'answer lost' }).expect(202);
    await waitFor(() => messageRows(room.id), (rows) => rows[0]?.delivery_status === 'sent', 10_000);
    expect(simTexts(room.rocketchatRoomId)).toEqual(['answer lost']);
    expect((await h.get(`/v1/rooms/${room.id}/messages`).expect(200)).body.items[0]).toMatchObject({ id: res.body.id, deliveryStatus: 'sent' });
  });

  it('delivers a pending message an instance left behind (it died mid-attempt) once its lease has run out', async () => {
    const room = await h.room();
    // what a process killed between its insert and its attempt leaves: a pending row whose lease ran out
    const { rows } = await h.t.db.query(
      `INSERT INTO messages (rocketchat_message_id, room_id, author_type, text, sent_at, delivery_status, next_attempt_at)
       VALUES (gen_random_uuid()::text, $1, 'visitor', 'left behind', now(), 'pending', now() - interval '1 second') RETURNING id`,
      [room.id],
    );
    await h.t.db.query(`UPDATE messages SET rocketchat_message_id = id::text WHERE id = $1`, [rows[0].id]);
    await waitFor(() => simTexts(room.rocketchatRoomId), (m) => m.length === 1, 10_000);
    expect(simTexts(room.rocketchatRoomId)).toEqual(['left behind']);
    await waitFor(() => messageRows(room.id), (r) => r[0]?.delivery_status === 'sent', 5_000);
  });

  it('delivers after a restart what was pending when the gateway stopped', async () => {
    const room = await h.room();
    await h.sim.faults.refuseConnections(true);
    let second: TestApp | undefined;
    try {
      for (const text of ['before restart 1', 'before restart 2']) await h.post(`/v1/rooms/${room.id}/messages`, { text }).expect(202);
      await h.t.stop();
      await h.sim.faults.refuseConnections(false);
      second = await startTestApp({ ROCKETCHAT_URL: h.sim.url }, { databaseUrl: h.t.databaseUrl });
      await waitFor(() => simTexts(room.rocketchatRoomId), (m) => m.length === 2, 20_000);
      expect(simTexts(room.rocketchatRoomId)).toEqual(['before restart 1', 'before restart 2']);
    } finally {
      await h.sim.faults.refuseConnections(false);
      if (second) h.t = second; // the later tests and afterAll go through the running app
    }
  });

  describe('POST /v1/rooms/:id/files', () => {
    it('forwards the file to Rocket.Chat and records the file message', async () => {
      const room = await h.room();
      const res = await h.t.http
        .post(`/v1/rooms/${room.id}/files`)
        .set('Authorization', h.t.admin)
        .field('description', 'the receipt')
        .attach('file', Buffer.from('order 48213'), { filename: 'receipt.txt', contentType: 'text/plain' })
        .expect(201);
      expect(res.body).toMatchObject({ authorType: 'visitor', deliveryStatus: 'sent' });
      expect(res.body.attachments[0]).toMatchObject({ kind: 'file', name: 'receipt.txt', type: 'text/plain', size: 11 });
      expect(h.sim.store.message(res.body.rocketchatMessageId)).toBeDefined();
    });

    it('answers 400 without a file, 415 when not multipart, 503 when Rocket.Chat is down', async () => {
      const room = await h.room();
      await h.t.http.post(`/v1/rooms/${room.id}/files`).set('Authorization', h.t.admin).field('msg', 'no file').expect(400);
      await h.post(`/v1/rooms/${room.id}/files`, { file: 'x' }).expect(415);
      h.sim.faults.failNext(1, 502, 'POST livechat/upload/:rid');
      await h.t.http
        .post(`/v1/rooms/${room.id}/files`)
        .set('Authorization', h.t.admin)
        .attach('file', Buffer.from('x'), { filename: 'x.txt', contentType: 'text/plain' })
        .expect(503);
    });
  });

  describe('POST /v1/offline-messages', () => {
    it('forwards to Rocket.Chat and stores it; 400 on bad input; 503 when Rocket.Chat is down', async () => {
      const res = await h.post('/v1/offline-messages', { name: 'Carlos', email: 'carlos@example.com', message: 'Vocês abrem amanhã?' }).expect(201);
      expect(res.body).toMatchObject({ name: 'Carlos', source: 'api', department: null });
      await h.post('/v1/offline-messages', { name: 'Carlos', email: 'nope', message: 'x' }).expect(400);
      h.sim.faults.failNext(1, 500);
      await h.post('/v1/offline-messages', { name: 'Carlos', email: 'carlos@example.com', message: 'again' }).expect(503);
      const { rows } = await h.t.db.query('SELECT count(*)::int AS n FROM offline_messages');
      expect(rows[0].n).toBe(1);
    });
  });
});
