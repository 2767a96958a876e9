import { count, fixture, postWebhook, RID, STORY, webhookGateway } from './support';

describe('POST /webhooks/rocketchat: LeadCapture, LivechatEdit, offline messages', () => {
  const gateway = webhookGateway();

  it('LeadCapture updates the visitor and records lead_captured once', async () => {
    await postWebhook(gateway.t, fixture('Message-visitor'));
    const lead = { ...fixture('Message-visitor'), type: 'LeadCapture', messages: [] } as Record<string, unknown>;
    lead.visitor = { ...(lead.visitor as object), email: [{ address: 'maria.nova@example.com' }], phone: [{ phoneNumber: '+5511911112222' }] };
    for (let i = 0; i < 2; i++) expect((await postWebhook(gateway.t, lead)).status).toBe(200);
    expect((await gateway.t.db.query('SELECT email, phone FROM visitors')).rows).toEqual([{ email: 'maria.nova@example.com', phone: '+5511911112222' }]);
    const events = await gateway.t.db.query(`SELECT data FROM room_history WHERE type = 'lead_captured'`);
    expect(events.rows).toEqual([{ data: { email: 'maria.nova@example.com', phone: '+5511911112222' } }]);
    const outcomes = await gateway.t.db.query(`SELECT outcome FROM webhook_receipts WHERE event_type = 'LeadCapture' ORDER BY id`);
    expect(outcomes.rows.map((r) => r.outcome)).toEqual(['applied', 'duplicate']);
  });

  it('LivechatEdit on a closed room replaces its tags and records the edit once per content', async () => {
    for (const name of STORY) await postWebhook(gateway.t, fixture(name));
    const edit = { ...fixture('LivechatSession-close-by-agent'), type: 'LivechatEdit', tags: ['entrega', 'atraso'] } as Record<string, unknown>;
    for (const key of ['servedBy', 'closedAt', 'closedBy', 'closer', 'departmentId']) delete edit[key];
    for (let i = 0; i < 2; i++) expect((await postWebhook(gateway.t, edit)).status).toBe(200);
    expect((await gateway.t.db.query('SELECT status, tags FROM rooms WHERE rocketchat_room_id = $1', [RID])).rows).toEqual([{ status: 'closed', tags: ['entrega', 'atraso'] }]);
    expect(await count(gateway.t.db, `room_history WHERE type = 'edited'`)).toBe(1);
  });

  it('LivechatOfflineMessage confirms the row left through the API instead of adding one, once', async () => {
    const sentAt = new Date(Date.now() - 2 * 60_000);
    await gateway.t.db.query(
      `INSERT INTO offline_messages (name, email, message, source, sent_at) VALUES ('Carlos Pereira', 'Carlos@Example.com', 'Vocês abrem amanhã às 8h?', 'api', $1)`,
      [sentAt],
    );
    const body = { ...fixture('LivechatOfflineMessage'), sentAt: new Date().toISOString() };
    for (let i = 0; i < 3; i++) expect((await postWebhook(gateway.t, body)).status).toBe(200);
    const { rows } = await gateway.t.db.query('SELECT source, webhook_received_at FROM offline_messages');
    expect(rows).toEqual([{ source: 'api', webhook_received_at: expect.any(Date) }]);
    const outcomes = await gateway.t.db.query('SELECT outcome FROM webhook_receipts ORDER BY id');
    expect(outcomes.rows.map((r) => r.outcome)).toEqual(['applied', 'duplicate', 'duplicate']);
  });

  it('LivechatOfflineMessage stores a message once, however often it is delivered', async () => {
    for (let i = 0; i < 3; i++) expect((await postWebhook(gateway.t, fixture('LivechatOfflineMessage'))).status).toBe(200);
    expect(await count(gateway.t.db, 'offline_messages')).toBe(1);
  });

  it('LivechatOfflineMessage without email is rejected with 400', async () => {
    const res = await postWebhook(gateway.t, { type: 'LivechatOfflineMessage', visitor: { name: 'X' }, message: 'hi' });
    expect(res.status).toBe(400);
    expect((await gateway.t.db.query('SELECT outcome FROM webhook_receipts')).rows).toEqual([{ outcome: 'rejected' }]);
    expect(await count(gateway.t.db, 'offline_messages')).toBe(0);
  });

  it('stores file messages with their file info as attachments', async () => {
    const body = fixture('Message-visitor');
    const m = (body.messages as Array<Record<string, unknown>>)[0]!;
    m.msg = '';
    m.file = { _id: 'f1', name: 'nota.pdf', type: 'application/pdf', size: 2048 };
    m.fileUpload = { publicFilePath: '/file-upload/f1/nota.pdf', type: 'application/pdf', size: 2048 };
    m.attachments = [{ title: 'nota.pdf', title_link: '/file-upload/f1/nota.pdf', type: 'file', description: 'a nota' }];
    expect((await postWebhook(gateway.t, body)).status).toBe(200);
    expect((await gateway.t.db.query('SELECT text, attachments FROM messages')).rows).toEqual([
      {
        text: '',
        attachments: [
          { kind: 'file', id: 'f1', name: 'nota.pdf', type: 'application/pdf', size: 2048, url: '/file-upload/f1/nota.pdf' },
          { kind: 'attachment', title: 'nota.pdf', url: '/file-upload/f1/nota.pdf', type: 'file', description: 'a nota' },
        ],
      },
    ]);
  });
});
