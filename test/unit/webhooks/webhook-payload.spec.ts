import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOfflineMessage, parseRoomPayload, WebhookPayloadError } from '../../../src/webhooks/webhook-payload';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/rocketchat', `webhook-${name}.json`), 'utf8')) as Record<string, unknown>;

describe('parseRoomPayload', () => {
  it('reads the close with dates, email/phone arrays, servedBy and the closing message', () => {
    const p = parseRoomPayload(fixture('LivechatSession-close-by-agent'), 'LivechatSession');
    expect(p).toMatchObject({
      roomId: '9kRtHqYwXcPm3aZbE',
      createdAt: new Date('2026-11-24T12:00:00.120Z'),
      closedAt: new Date('2026-11-24T12:04:00.000Z'),
      closer: 'user',
      tags: ['entrega'],
      visitor: { token: 'web-7f3c2a91-visitor', email: 'maria@example.com', phone: '+5511987654321', customFields: { address: 'Rua Augusta 100', plan: 'gold' } },
      servedBy: { id: 'pR4sW8eZ1yU6iO3aQ', username: 'ana.agent', since: new Date('2026-11-24T12:02:30.000Z') },
    });
    expect(p.messages).toHaveLength(5);
    expect(p.messages[4]).toMatchObject({ id: 'Tz6pK1wQ4eR7yU0iO', closing: true, agentId: 'pR4sW8eZ1yU6iO3aQ' });
  });

  it.each([
    ['_id', (b: Record<string, unknown>) => delete b._id],
    ['visitor', (b: Record<string, unknown>) => (b.visitor = 'nope')],
    ['visitor.token', (b: Record<string, unknown>) => ((b.visitor as Record<string, unknown>).token = '')],
  ])('refuses a body without %s', (field, spoil) => {
    const body = fixture('LivechatSessionStart');
    spoil(body);
    expect(() => parseRoomPayload(body, 'LivechatSessionStart')).toThrow(expect.objectContaining({ name: 'WebhookPayloadError', field }));
  });

  it('requires the message of a Message event, but skips an id-less message elsewhere', () => {
    const body = fixture('Message-visitor');
    (body.messages as Array<Record<string, unknown>>)[0]!._id = 42;
    expect(() => parseRoomPayload(body, 'Message', true)).toThrow(WebhookPayloadError);
    expect(parseRoomPayload(body, 'LivechatSession').messages).toEqual([]);
  });

  it('keeps a message without text (Rocket.Chat drops an empty msg) with its file', () => {
    const body = fixture('Message-visitor');
    const m = (body.messages as Array<Record<string, unknown>>)[0]!;
    delete m.msg;
    m.file = { _id: 'f1', name: 'a.png', type: 'image/png' };
    m.fileUpload = { publicFilePath: '/file-upload/f1/a.png', size: 10 };
    m.attachments = [{ title: 'a.png', image_url: '/file-upload/f1/a.png', image_type: 'image/png', image_size: 10 }];
    expect(parseRoomPayload(body, 'Message', true).messages[0]).toMatchObject({
      text: '',
      file: { id: 'f1', name: 'a.png', type: 'image/png', size: 10, url: '/file-upload/f1/a.png' },
      attachments: [{ title: 'a.png', url: '/file-upload/f1/a.png', type: 'image/png', size: 10 }],
    });
  });

  it('cuts oversized fields to their columns instead of failing in the database', () => {
    const body = fixture('Message-visitor');
    (body.visitor as Record<string, unknown>).name = 'x'.repeat(1000);
    expect(parseRoomPayload(body, 'Message', true).visitor.name).toHaveLength(255);
  });
});

describe('parseOfflineMessage', () => {
  it('reads the fixture', () => {
    expect(parseOfflineMessage(fixture('LivechatOfflineMessage'))).toEqual({
      type: 'LivechatOfflineMessage',
      name: 'Carlos Pereira',
      email: 'carlos@example.com',
      message: 'Vocês abrem amanhã às 8h?',
      department: undefined,
      sentAt: new Date('2026-11-24T22:15:00.000Z'),
    });
  });

  it('refuses one without email or message', () => {
    expect(() => parseOfflineMessage({ type: 'LivechatOfflineMessage', visitor: { name: 'a' }, message: 'x' })).toThrow('visitor.email');
    expect(() => parseOfflineMessage({ type: 'LivechatOfflineMessage', visitor: { email: 'a@b.c' } })).toThrow('message');
  });
});
