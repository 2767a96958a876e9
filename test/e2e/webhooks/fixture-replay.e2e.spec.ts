import { fixture, postWebhook, RID, STORY, webhookGateway } from './support';

const VISITOR_RC_ID = 'Lm2yGp8dRk4sTnQaW';
const at = (iso: string) => new Date(iso);

describe('POST /webhooks/rocketchat: the fixture conversation, in story order', () => {
  const gateway = webhookGateway({ reset: false });
  const roomIds: string[] = [];

  const room = async () => (await gateway.t.db.query('SELECT * FROM rooms WHERE rocketchat_room_id = $1', [RID])).rows[0];

  it('answers exactly 200 with the room id, for every event', async () => {
    for (const name of STORY) {
      const res = await postWebhook(gateway.t, fixture(name));
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect(res.body).toEqual({ ok: true, roomId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      roomIds.push(res.body.roomId);
    }
    expect(new Set(roomIds).size).toBe(1);
    expect((await room()).id).toBe(roomIds[0]);
  });

  it('records each delivery, Queued as a duplicate of Start (both say: waiting since creation)', async () => {
    const { rows } = await gateway.t.db.query('SELECT event_type, rocketchat_room_id, outcome, error, dedupe_key, payload FROM webhook_receipts ORDER BY id');
    expect(rows.map((r) => [r.event_type, r.rocketchat_room_id, r.outcome, r.error])).toEqual([
      ['LivechatSessionStart', RID, 'applied', null],
      ['LivechatSessionQueued', RID, 'duplicate', null],
      ['LivechatSessionTaken', RID, 'applied', null],
      ['Message', RID, 'applied', null],
      ['Message', RID, 'applied', null],
      ['LivechatSessionForwarded', RID, 'applied', null],
      ['LivechatSession', RID, 'applied', null],
    ]);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(7);
    expect(rows[3].payload).toEqual(fixture('Message-visitor'));
  });

  it('leaves the room closed by the agent, served since the take, with the forward target as agent', async () => {
    expect(await room()).toMatchObject({
      status: 'closed',
      agent_id: 'pR4sW8eZ1yU6iO3aQ',
      agent_username: 'ana.agent',
      agent_name: 'Ana Costa',
      department_id: 'fJ8sD2kLq9WmZx3Cv',
      opened_at: at('2026-11-24T12:00:00.120Z'),
      queued_at: at('2026-11-24T12:00:00.120Z'),
      served_at: at('2026-11-24T12:00:41.002Z'),
      closed_at: at('2026-11-24T12:04:00.000Z'),
      closed_by: 'agent',
      closer_id: 'pR4sW8eZ1yU6iO3aQ',
      closer_username: 'ana.agent',
      close_comment: 'Atendimento encerrado, obrigada!',
      tags: ['entrega'],
      last_message_at: at('2026-11-24T12:04:00.000Z'),
      message_count: 5,
      state_at: at('2026-11-24T12:04:00.000Z'),
    });
  });

  it('keeps the lifecycle history: started, queued, taken, forwarded (old and new agent), closed', async () => {
    const { rows } = await gateway.t.db.query('SELECT type, data, occurred_at FROM room_history ORDER BY occurred_at, id');
    expect(rows).toEqual([
      // the department is the room's (rooms.department_id): these notices may arrive in any order
      { type: 'started', data: {}, occurred_at: at('2026-11-24T12:00:00.120Z') },
      { type: 'queued', data: {}, occurred_at: at('2026-11-24T12:00:00.120Z') },
      {
        type: 'taken',
        data: { agent: { id: 'aG7nT2pQ9wXe4RbKm', username: 'joao.agent', name: 'Joao Lima' }, departmentId: 'fJ8sD2kLq9WmZx3Cv' },
        occurred_at: at('2026-11-24T12:00:41.002Z'),
      },
      {
        type: 'forwarded',
        data: {
          from: { agent: { id: 'aG7nT2pQ9wXe4RbKm', username: 'joao.agent', name: null }, departmentId: null },
          to: { agent: { id: 'pR4sW8eZ1yU6iO3aQ', username: 'ana.agent', name: 'Ana Costa' }, departmentId: 'fJ8sD2kLq9WmZx3Cv' },
        },
        occurred_at: at('2026-11-24T12:02:30.000Z'),
      },
      {
        type: 'closed',
        data: { closedBy: 'agent', closer: { id: 'pR4sW8eZ1yU6iO3aQ', username: 'ana.agent' }, comment: 'Atendimento encerrado, obrigada!', tags: ['entrega'] },
        occurred_at: at('2026-11-24T12:04:00.000Z'),
      },
    ]);
  });

  it('holds the whole transcript, backfilling from the close the two messages whose webhook never came', async () => {
    const { rows } = await gateway.t.db.query(
      `SELECT rocketchat_message_id, author_type, author_id, author_username, author_name, text, attachments, system_type, sent_at, delivery_status
         FROM messages ORDER BY sent_at`,
    );
    const visitor = { author_type: 'visitor', author_id: VISITOR_RC_ID, author_username: 'guest-412', author_name: 'Maria Souza' };
    const common = { attachments: [], system_type: null, delivery_status: null };
    expect(rows).toEqual([
      { ...common, ...visitor, rocketchat_message_id: 'om-1d6f0c2e-4b1a-4f7e-9a53-2f3b1c0d9e11', text: 'Olá, meu pedido não chegou', sent_at: at('2026-11-24T12:00:05.300Z') },
      {
        ...common,
        rocketchat_message_id: 'Xq7rT1mN3bV8cK2pL',
        author_type: 'agent',
        author_id: 'aG7nT2pQ9wXe4RbKm',
        author_username: 'joao.agent',
        author_name: null,
        text: 'Oi Maria! Pode me passar o número do pedido?',
        sent_at: at('2026-11-24T12:01:02.810Z'),
      },
      { ...common, ...visitor, rocketchat_message_id: 'om-5a0b9e77-0c3d-4e2a-8f61-7d2c4b1a0f22', text: 'É o 48213', sent_at: at('2026-11-24T12:01:40.100Z') },
      {
        ...common,
        rocketchat_message_id: 'Hc3nM8qW2xT5vB9rZ',
        author_type: 'agent',
        author_id: 'pR4sW8eZ1yU6iO3aQ',
        author_username: 'ana.agent',
        author_name: null,
        text: 'Encontrei: sai para entrega hoje à tarde.',
        sent_at: at('2026-11-24T12:03:10.500Z'),
      },
      {
        ...common,
        rocketchat_message_id: 'Tz6pK1wQ4eR7yU0iO',
        author_type: 'system',
        author_id: 'pR4sW8eZ1yU6iO3aQ',
        author_username: 'ana.agent',
        author_name: null,
        text: 'Atendimento encerrado, obrigada!',
        system_type: 'livechat-close',
        sent_at: at('2026-11-24T12:04:00.000Z'),
      },
    ]);
  });

  it('records the visitor with email and phone read from their arrays', async () => {
    const { rows } = await gateway.t.db.query('SELECT token, rocketchat_id, username, name, email, phone, department, custom_fields FROM visitors');
    expect(rows).toEqual([
      {
        token: 'web-7f3c2a91-visitor',
        rocketchat_id: VISITOR_RC_ID,
        username: 'guest-412',
        name: 'Maria Souza',
        email: 'maria@example.com',
        phone: '+5511987654321',
        department: 'fJ8sD2kLq9WmZx3Cv',
        custom_fields: { address: 'Rua Augusta 100', plan: 'gold' },
      },
    ]);
  });

  it('stores an offline message (no room) from the webhook', async () => {
    const res = await postWebhook(gateway.t, fixture('LivechatOfflineMessage'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    const { rows } = await gateway.t.db.query('SELECT name, email, message, department, source, sent_at, webhook_received_at FROM offline_messages');
    expect(rows).toEqual([
      {
        name: 'Carlos Pereira',
        email: 'carlos@example.com',
        message: 'Vocês abrem amanhã às 8h?',
        department: null,
        source: 'webhook',
        sent_at: at('2026-11-24T22:15:00.000Z'),
        webhook_received_at: expect.any(Date),
      },
    ]);
  });
});
