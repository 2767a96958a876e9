import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

describe.each(['8.8.1', '7.10.3'])('DELETE /v1/rooms/:id/messages/:messageId on Rocket.Chat %s', (version) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ version });
  });
  afterAll(() => h.close());
  afterEach(() => h.sim.faults.clear());

  const del = (path: string) => h.t.http.delete(path).set('Authorization', h.t.admin);
  const visitorTexts = (rid: string) => h.sim.store.messages(rid).filter((m) => !m.t && m.token).map((m) => m.msg);

  it('deletes in Rocket.Chat and shows it deleted here, keeping the text for audit; out of search; message.deleted goes out', async () => {
    const room = await h.room();
    const kept = (await h.post(`/v1/rooms/${room.id}/messages`, { text: 'kept message' }).expect(201)).body;
    const gone = (await h.post(`/v1/rooms/${room.id}/messages`, { text: 'zanzibar typo' }).expect(201)).body;
    const res = await del(`/v1/rooms/${room.id}/messages/${gone.id}`).expect(200);
    expect(res.body).toMatchObject({ id: gone.id, text: '', attachments: [], deliveryStatus: 'sent' });
    expect(res.body.deletedAt).toEqual(expect.any(String));
    expect(visitorTexts(room.rocketchatRoomId)).toEqual(['kept message']);

    const listed = (await h.get(`/v1/rooms/${room.id}/messages`).expect(200)).body.items.filter((m: { authorType: string }) => m.authorType === 'visitor');
    expect(listed.map((m: { id: string; text: string; deletedAt: string | null }) => [m.id, m.text, m.deletedAt !== null])).toEqual([
      [kept.id, 'kept message', false],
      [gone.id, '', true],
    ]);
    // audit: the text stays in PostgreSQL, and in the room's history
    expect((await h.t.db.query(`SELECT text FROM messages WHERE id = $1`, [gone.id])).rows[0].text).toBe('zanzibar typo');
    const history = (await h.t.db.query(`SELECT data FROM room_history WHERE room_id = $1 AND type = 'message_deleted'`, [room.id])).rows;
    expect(history).toEqual([{ data: expect.objectContaining({ messageId: gone.id, text: 'zanzibar typo' }) }]);
    const live = (await h.t.db.query(`SELECT data FROM live_events WHERE type = 'message.deleted' AND data->>'id' = $1`, [gone.id])).rows;
    expect(live).toHaveLength(1);

    const transcript = (await h.get(`/v1/transcripts/${room.id}`).expect(200)).body;
    expect(transcript.messages.find((m: { id: string }) => m.id === gone.id)).toMatchObject({ text: '', deletedAt: expect.any(String) });
    const txt = (await h.get(`/v1/transcripts/${room.id}?format=txt`).expect(200)).text;
    expect(txt).toContain('[message deleted]');
    expect(txt).not.toContain('zanzibar');
    expect((await h.get('/v1/transcripts?q=zanzibar').expect(200)).body.items.map((i: { roomId: string }) => i.roomId)).not.toContain(room.id);

    // a deleted message can no longer be edited
    const edit = await h.t.http.patch(`/v1/rooms/${room.id}/messages/${gone.id}`).set('Authorization', h.t.admin).send({ text: 'back again' }).expect(409);
    expect(edit.body.message).toContain('deleted');
    expect((await h.t.db.query(`SELECT text FROM messages WHERE id = $1`, [gone.id])).rows[0].text).toBe('zanzibar typo');

    // again: nothing changes
    await del(`/v1/rooms/${room.id}/messages/${gone.id}`).expect(200);
    expect((await h.t.db.query(`SELECT count(*)::int AS n FROM room_history WHERE room_id = $1 AND type = 'message_deleted'`, [room.id])).rows[0].n).toBe(1);
  });

  it("refuses a pending message (409), an agent's message (403), an unknown one (404), a bad id (400) and a closed room (409)", async () => {
    const room = await h.room();
    await h.sim.faults.refuseConnections(true);
    let pendingId: string;
    try {
      pendingId = (await h.post(`/v1/rooms/${room.id}/messages`, { text: 'on its way' }).expect(202)).body.id;
      const pending = await del(`/v1/rooms/${room.id}/messages/${pendingId}`).expect(409);
      expect(pending.body.message).toContain('still being delivered');
    } finally {
      await h.sim.faults.refuseConnections(false);
    }
    await waitFor(async () => (await h.get(`/v1/rooms/${room.id}/messages`)).body.items.find((m: { id: string }) => m.id === pendingId)?.deliveryStatus, (s) => s === 'sent', 10_000);

    await h.sim.takeRoom(room.rocketchatRoomId, 'ana.agent');
    const reply = await h.sim.sendAgentMessage(room.rocketchatRoomId, { text: 'Olá!', agent: 'ana.agent' });
    await h.post(`/v1/rooms/${room.id}/sync`, {}).expect(200);
    const agentMessage = (await h.get(`/v1/rooms/${room.id}/messages`)).body.items.find((m: { rocketchatMessageId: string }) => m.rocketchatMessageId === reply._id);
    await del(`/v1/rooms/${room.id}/messages/${agentMessage.id}`).expect(403);
    await del(`/v1/rooms/${room.id}/messages/00000000-0000-4000-8000-000000000000`).expect(404);
    await del(`/v1/rooms/${room.id}/messages/not-a-uuid`).expect(400);

    await h.post(`/v1/rooms/${room.id}/close`, {}).expect(200);
    await del(`/v1/rooms/${room.id}/messages/${pendingId}`).expect(409);
    expect(visitorTexts(room.rocketchatRoomId)).toEqual(['on its way']);
    expect((await h.t.db.query(`SELECT count(*)::int AS n FROM messages WHERE room_id = $1 AND deleted_at IS NOT NULL`, [room.id])).rows[0].n).toBe(0);
  });

  it("answers Rocket.Chat's refusal (Message_AllowDeleting off) as 422 and keeps the message", async () => {
    const off = await startHarness({ version, sim: { messageDeleting: false } });
    try {
      const room = await off.room();
      const sent = (await off.post(`/v1/rooms/${room.id}/messages`, { text: 'stays' }).expect(201)).body;
      const res = await off.t.http.delete(`/v1/rooms/${room.id}/messages/${sent.id}`).set('Authorization', off.t.admin).expect(422);
      expect(res.body.details.rocketchat.reason).toBe('error-action-not-allowed');
      expect((await off.get(`/v1/rooms/${room.id}/messages`)).body.items[0]).toMatchObject({ text: 'stays', deletedAt: null });
    } finally {
      await off.close();
    }
  });
});
