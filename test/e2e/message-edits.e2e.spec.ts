import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

describe.each(['8.8.1', '7.10.3'])('PATCH /v1/rooms/:id/messages/:messageId on Rocket.Chat %s', (version) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ version, webhook: true, env: { ROCKETCHAT_TIMEOUT_MS: '1000', DELIVERY_RETRY_BASE_MS: '50' } });
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  const patch = (path: string, body: object) => h.t.http.patch(path).set('Authorization', h.t.admin).send(body);
  const simText = (id: string) => h.sim.store.message(id)?.msg;
  const historyOf = async (roomId: string) =>
    (await h.t.db.query(`SELECT type, data FROM room_history WHERE room_id = $1 AND type = 'message_edited' ORDER BY occurred_at, id`, [roomId])).rows;

  it('edits a delivered message in Rocket.Chat and here: the first version stays in the history, message.edited goes out', async () => {
    const room = await h.room();
    const sent = (await h.post(`/v1/rooms/${room.id}/messages`, { text: 'meu pedido nao chegou' }).expect(201)).body;
    const res = await patch(`/v1/rooms/${room.id}/messages/${sent.id}`, { text: 'meu pedido 48213 não chegou' }).expect(200);
    expect(res.body).toMatchObject({ id: sent.id, text: 'meu pedido 48213 não chegou', deliveryStatus: 'sent' });
    expect(res.body.editedAt).not.toBeNull();
    expect(simText(sent.id)).toBe('meu pedido 48213 não chegou');
    // whatever webhook Rocket.Chat sends for the edit adds nothing
    await h.sim.waitForWebhooks(() => true, 500).catch(() => undefined);
    expect(await historyOf(room.id)).toEqual([
      { type: 'message_edited', data: expect.objectContaining({ messageId: sent.id, previousText: 'meu pedido nao chegou', text: 'meu pedido 48213 não chegou' }) },
    ]);
    const { rows } = await h.t.db.query(`SELECT data FROM live_events WHERE type = 'message.edited' AND data->>'id' = $1`, [sent.id]);
    expect(rows).toEqual([{ data: expect.objectContaining({ text: 'meu pedido 48213 não chegou', previousText: 'meu pedido nao chegou' }) }]);
    const transcript = (await h.get(`/v1/transcripts/${room.id}`).expect(200)).body;
    expect(transcript.messages.find((m: { id: string }) => m.id === sent.id)).toMatchObject({ text: 'meu pedido 48213 não chegou' });
    // the same text again: nothing changes
    await patch(`/v1/rooms/${room.id}/messages/${sent.id}`, { text: 'meu pedido 48213 não chegou' }).expect(200);
    expect(await historyOf(room.id)).toHaveLength(1);
  });

  it('edits a pending message before it is delivered: Rocket.Chat gets the edited text, once', async () => {
    const room = await h.room();
    await h.sim.faults.refuseConnections(true);
    let id: string;
    try {
      id = (await h.post(`/v1/rooms/${room.id}/messages`, { text: 'first draft' }).expect(202)).body.id;
      const res = await patch(`/v1/rooms/${room.id}/messages/${id}`, { text: 'second draft' }).expect(200);
      expect(res.body).toMatchObject({ text: 'second draft', deliveryStatus: 'pending' });
    } finally {
      await h.sim.faults.refuseConnections(false);
    }
    await waitFor(() => simText(id), (t) => t !== undefined, 10_000);
    expect(h.sim.store.messages(room.rocketchatRoomId).filter((m) => !m.t).map((m) => m.msg)).toEqual(['second draft']);
    await waitFor(async () => (await h.get(`/v1/rooms/${room.id}/messages`)).body.items[0]?.deliveryStatus, (s) => s === 'sent', 10_000);
  });

  it('edits a message whose delivery is in flight: the old text is not counted, Rocket.Chat\'s copy is edited, one message', async () => {
    const room = await h.room();
    const held = h.sim.faults.holdNext('POST livechat/message');
    const sending = h.post(`/v1/rooms/${room.id}/messages`, { text: 'old text' }).then((r) => r);
    await held.reached;
    const [row] = (await h.t.db.query(`SELECT id FROM messages WHERE room_id = $1 AND author_type = 'visitor'`, [room.id])).rows;
    await patch(`/v1/rooms/${room.id}/messages/${row.id}`, { text: 'new text' }).expect(200);
    held.release();
    const res = await sending;
    expect(res.status).toBe(202);
    expect(res.body.deliveryStatus).toBe('pending');
    await waitFor(() => simText(row.id), (t) => t === 'new text', 10_000);
    expect(h.sim.store.messages(room.rocketchatRoomId).filter((m) => !m.t).map((m) => m.msg)).toEqual(['new text']);
    await waitFor(async () => (await h.get(`/v1/rooms/${room.id}/messages`)).body.items[0], (m) => m?.deliveryStatus === 'sent', 10_000);
    expect((await h.get(`/v1/rooms/${room.id}/messages`)).body.items[0]).toMatchObject({ text: 'new text', deliveryStatus: 'sent' });
  });

  it("refuses an agent's message (403), an unknown message (404), a bad id or text (400) and a closed room (409), changing nothing", async () => {
    const room = await h.room();
    const mine = (await h.post(`/v1/rooms/${room.id}/messages`, { text: 'mine' }).expect(201)).body;
    await h.sim.takeRoom(room.rocketchatRoomId, 'ana.agent');
    await h.sim.sendAgentMessage(room.rocketchatRoomId, { text: 'Olá!', agent: 'ana.agent' });
    const agentMessage = await waitFor(
      async () => (await h.get(`/v1/rooms/${room.id}/messages`)).body.items.find((m: { authorType: string }) => m.authorType === 'agent'),
      (m) => !!m,
      10_000,
    );
    const forbidden = await patch(`/v1/rooms/${room.id}/messages/${agentMessage.id}`, { text: 'hijacked' }).expect(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    await patch(`/v1/rooms/${room.id}/messages/00000000-0000-4000-8000-000000000000`, { text: 'x' }).expect(404);
    await patch(`/v1/rooms/${room.id}/messages/not-a-uuid`, { text: 'x' }).expect(400);
    for (const body of [{}, { text: '' }, { text: 7 }, { text: 'x', extra: true }]) await patch(`/v1/rooms/${room.id}/messages/${mine.id}`, body).expect(400);
    const other = await h.room();
    await patch(`/v1/rooms/${other.id}/messages/${mine.id}`, { text: 'not in this room' }).expect(404);

    await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
    const closed = await patch(`/v1/rooms/${room.id}/messages/${mine.id}`, { text: 'too late' }).expect(409);
    expect(closed.body.message).toContain('closed');
    expect(simText(mine.id)).toBe('mine');
    expect(await historyOf(room.id)).toEqual([]);
  });

  it("answers Rocket.Chat's refusal (Message_AllowEditing off) as 422 and keeps the text", async () => {
    const off = await startHarness({ version, sim: { messageEditing: false } });
    try {
      const room = await off.room();
      const sent = (await off.post(`/v1/rooms/${room.id}/messages`, { text: 'kept' }).expect(201)).body;
      const res = await off.t.http.patch(`/v1/rooms/${room.id}/messages/${sent.id}`).set('Authorization', off.t.admin).send({ text: 'refused' }).expect(422);
      expect(res.body.details.rocketchat.reason).toBe('error-action-not-allowed');
      expect((await off.get(`/v1/rooms/${room.id}/messages`)).body.items[0]).toMatchObject({ text: 'kept', editedAt: null });
      expect(off.sim.store.message(sent.id)?.msg).toBe('kept');
    } finally {
      await off.close();
    }
  });
});
