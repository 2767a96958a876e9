import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RocketChatUnavailableError } from '../../../src/rocketchat/rocketchat.errors';
import { date, MalformedAnswerError, toDepartments, toMessage, toRoom, toVisitor, toWidgetConfig } from '../../../src/rocketchat/rocketchat.wire';

type Json = Record<string, unknown>;
const answer = (name: string): Json => JSON.parse(readFileSync(join(__dirname, '../../fixtures/rocketchat', `rest-${name}.json`), 'utf8')) as Json;
const MS = Date.UTC(2026, 10, 24, 12, 0, 0, 120);

describe('date', () => {
  it.each<[string, unknown, Date | undefined]>([
    ['an ISO string', '2026-11-24T12:00:00.120Z', new Date(MS)],
    ['epoch milliseconds', MS, new Date(MS)],
    ['the EJSON { $date: ms } form', { $date: MS }, new Date(MS)],
    ['an unparseable string', 'yesterday-ish', undefined],
    ['an empty string', '', undefined],
    ['an EJSON $date that is not a number', { $date: '2026-11-24T12:00:00.120Z' }, undefined],
    ['an EJSON $date that is not finite', { $date: Infinity }, undefined],
    ['an object without $date', { ts: MS }, undefined],
    ['null', null, undefined],
    ['undefined', undefined, undefined],
    ['a boolean', true, undefined],
    ['an array', [MS], undefined],
  ])('reads %s', (_what, value, expected) => {
    expect(date(value)).toEqual(expected);
  });
});

describe('MalformedAnswerError', () => {
  it('counts as Rocket.Chat being unavailable', () => {
    const err = new MalformedAnswerError("Rocket.Chat's room has no _id");
    expect(err).toBeInstanceOf(RocketChatUnavailableError);
    expect(err).toMatchObject({ name: 'MalformedAnswerError', endpoint: 'answer', problem: "Rocket.Chat's room has no _id" });
  });
});

describe('toVisitor', () => {
  const recorded = (): Json => answer('visitor-POST-response').visitor as Json;

  it('turns the recorded visitor’s arrays into plain values', () => {
    expect(toVisitor(recorded())).toEqual({
      id: 'Lm2yGp8dRk4sTnQaW',
      token: 'web-7f3c2a91-visitor',
      username: 'guest-412',
      name: 'Maria Souza',
      emails: ['maria@example.com'],
      phones: ['+5511987654321'],
      department: 'fJ8sD2kLq9WmZx3Cv',
      customFields: { address: 'Rua Augusta 100' },
      createdAt: new Date('2026-11-24T11:59:58.000Z'),
      updatedAt: new Date('2026-11-24T11:59:58.010Z'),
    });
  });

  it('keeps every email and phone, skipping entries without one', () => {
    const v = toVisitor({
      ...recorded(),
      visitorEmails: [{ address: 'a@example.com' }, { address: 42 }, 'b@example.com', null, { address: 'c@example.com' }],
      phone: [{ phoneNumber: '+1' }, {}, { phoneNumber: '+2' }],
    });
    expect(v.emails).toEqual(['a@example.com', 'c@example.com']);
    expect(v.phones).toEqual(['+1', '+2']);
  });

  it('keeps only text custom fields', () => {
    expect(toVisitor({ ...recorded(), livechatData: { plan: 'gold', age: 42, vip: true, nested: { a: 1 }, none: null } }).customFields).toEqual({ plan: 'gold' });
  });

  it.each<[string, Json]>([
    ['emails, phones and custom fields of the wrong type', { visitorEmails: 'maria@example.com', phone: { phoneNumber: '+1' }, livechatData: ['x'] }],
    ['no emails, phones or custom fields at all', { visitorEmails: undefined, phone: undefined, livechatData: undefined }],
  ])('reads %s as empty', (_what, spoil) => {
    expect(toVisitor({ ...recorded(), ...spoil })).toMatchObject({ emails: [], phones: [], customFields: {} });
  });

  it('ignores optional fields of the wrong type', () => {
    const v = toVisitor({ _id: 'v1', token: 't1', username: 7, name: false, department: {}, ts: 'never', _updatedAt: null });
    expect(v).toEqual({ id: 'v1', token: 't1', username: '', name: undefined, emails: [], phones: [], department: undefined, customFields: {}, createdAt: undefined, updatedAt: undefined });
  });

  it.each<[string, unknown]>([
    ['without _id', { token: 't1' }],
    ['with an empty _id', { _id: '', token: 't1' }],
    ['with a numeric _id', { _id: 1, token: 't1' }],
    ['without token', { _id: 'v1' }],
    ['that is null', null],
    ['that is an array', [{ _id: 'v1', token: 't1' }]],
    ['that is a string', 'v1'],
  ])('refuses a visitor %s as a malformed answer', (_what, value) => {
    expect(() => toVisitor(value)).toThrow(MalformedAnswerError);
  });
});

describe('toRoom', () => {
  const recorded = (name: string): Json => answer(name).room as Json;

  it('reads the recorded served room', () => {
    expect(toRoom(recorded('room-GET-existing'))).toEqual({
      id: '9kRtHqYwXcPm3aZbE',
      open: true,
      visitor: { id: 'Lm2yGp8dRk4sTnQaW', token: 'web-7f3c2a91-visitor', username: 'guest-412' },
      servedBy: { id: 'aG7nT2pQ9wXe4RbKm', username: 'joao.agent', name: undefined, since: new Date('2026-11-24T12:00:00.140Z') },
      departmentId: 'fJ8sD2kLq9WmZx3Cv',
      createdAt: new Date('2026-11-24T12:00:00.120Z'),
      queuedAt: undefined,
      closedAt: undefined,
      closer: undefined,
      closedBy: undefined,
      tags: [],
      lastMessageAt: undefined,
      source: 'api',
    });
  });

  it('reads the recorded queued room: no agent, a queue time', () => {
    expect(toRoom(recorded('room-GET-new-queued'))).toMatchObject({ servedBy: undefined, queuedAt: new Date('2026-11-24T12:00:00.120Z'), open: true });
  });

  it('reads a closed room with EJSON dates', () => {
    const r = toRoom({
      _id: 'r1',
      open: false,
      ts: { $date: MS },
      queuedAt: { $date: MS + 1 },
      lm: { $date: MS + 2 },
      closedAt: { $date: MS + 3 },
      servedBy: { _id: 'a1', username: 'ana.agent', name: 'Ana Costa', ts: { $date: MS + 4 } },
      closer: 'user',
      closedBy: { _id: 'a1', username: 'ana.agent' },
      tags: ['delivery', 7, null, 'vip'],
    });
    expect(r).toMatchObject({
      open: false,
      createdAt: new Date(MS),
      queuedAt: new Date(MS + 1),
      lastMessageAt: new Date(MS + 2),
      closedAt: new Date(MS + 3),
      servedBy: { id: 'a1', username: 'ana.agent', name: 'Ana Costa', since: new Date(MS + 4) },
      closer: 'user',
      closedBy: { id: 'a1', username: 'ana.agent', name: undefined },
      tags: ['delivery', 'vip'],
    });
  });

  it('ignores fields of the wrong type', () => {
    jest.useFakeTimers({ now: MS });
    try {
      expect(toRoom({ _id: 'r1', open: 'true', v: 'guest', servedBy: { username: 'no-id' }, closedBy: 'ana', departmentId: 5, tags: 'vip', ts: 'never', source: 'api' })).toEqual({
        id: 'r1',
        open: false,
        visitor: { id: '', token: '', username: '' },
        servedBy: undefined,
        departmentId: undefined,
        createdAt: new Date(MS),
        queuedAt: undefined,
        closedAt: undefined,
        closer: undefined,
        closedBy: undefined,
        tags: [],
        lastMessageAt: undefined,
        source: undefined,
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('ignores fields it does not know', () => {
    expect(Object.keys(toRoom(recorded('room-GET-existing'))).sort()).toEqual(
      ['id', 'open', 'visitor', 'servedBy', 'departmentId', 'createdAt', 'queuedAt', 'closedAt', 'closer', 'closedBy', 'tags', 'lastMessageAt', 'source'].sort(),
    );
  });

  it.each<[string, unknown]>([
    ['without _id', { open: true }],
    ['that is missing', undefined],
    ['that is an array', []],
  ])('refuses a room %s as a malformed answer', (_what, value) => {
    expect(() => toRoom(value)).toThrow(new MalformedAnswerError("Rocket.Chat's room has no _id"));
  });
});

describe('toMessage', () => {
  it('reads the recorded sent message', () => {
    expect(toMessage(answer('message-POST-response').message)).toEqual({
      id: 'om-1d6f0c2e-4b1a-4f7e-9a53-2f3b1c0d9e11',
      roomId: '9kRtHqYwXcPm3aZbE',
      text: 'Olá, meu pedido não chegou',
      createdAt: new Date('2026-11-24T12:00:05.300Z'),
      author: { id: 'Lm2yGp8dRk4sTnQaW', username: 'guest-412', name: 'Maria Souza' },
      visitorToken: 'web-7f3c2a91-visitor',
      systemType: undefined,
      files: [],
      attachments: [],
      editedAt: undefined,
      updatedAt: new Date('2026-11-24T12:00:05.310Z'),
    });
  });

  it('reads the recorded history: agent, visitor and system messages', () => {
    const messages = (answer('messages-history-GET-response').messages as unknown[]).map(toMessage);
    expect(messages.map((m) => [m.id, m.author.username, m.visitorToken, m.systemType])).toEqual([
      ['Xq7rT1mN3bV8cK2pL', 'joao.agent', undefined, undefined],
      ['om-1d6f0c2e-4b1a-4f7e-9a53-2f3b1c0d9e11', 'guest-412', 'web-7f3c2a91-visitor', undefined],
      ['sys-uj-1', 'guest-412', undefined, 'livechat-started'],
    ]);
  });

  it.each<[string, Json, string[]]>([
    ['files only', { files: [{ _id: 'f1' }, { _id: 'f2' }] }, ['f1', 'f2']],
    ['file only', { file: { _id: 'f1' } }, ['f1']],
    ['file repeated in files, once', { file: { _id: 'f2' }, files: [{ _id: 'f1' }, { _id: 'f2' }] }, ['f1', 'f2']],
    ['file not in files, first', { file: { _id: 'f0' }, files: [{ _id: 'f1' }] }, ['f0', 'f1']],
    ['id-less and non-object files, not at all', { file: { name: 'x.png' }, files: [{ name: 'y.png' }, 'f3', null, { _id: 'f4' }] }, ['f4']],
    ['files that is not an array, as none', { files: { _id: 'f1' } }, []],
  ])('merges file and files: %s', (_what, fields, ids) => {
    expect(toMessage({ _id: 'm1', ...fields }).files.map((f) => f.id)).toEqual(ids);
  });

  it('reads a file’s name, type and size, naming it by its id when it has no name', () => {
    expect(toMessage({ _id: 'm1', files: [{ _id: 'f1', name: 'receipt.pdf', type: 'application/pdf', size: 1024 }, { _id: 'f2', size: '1024', type: 3 }] }).files).toEqual([
      { id: 'f1', name: 'receipt.pdf', type: 'application/pdf', size: 1024 },
      { id: 'f2', name: 'f2', type: undefined, size: undefined },
    ]);
  });

  it('renames attachments’ title_link and image_url, keeps their other fields and drops non-objects', () => {
    const m = toMessage({
      _id: 'm1',
      attachments: [
        { title: 'receipt.png', title_link: '/file-upload/f1/receipt.png', image_url: '/file-upload/f1/receipt.png', type: 'file', description: 'my receipt', image_type: 'image/png' },
        'not an attachment',
        null,
        { title: 9, title_link: false },
      ],
    });
    expect(m.attachments).toEqual([
      { title: 'receipt.png', titleLink: '/file-upload/f1/receipt.png', imageUrl: '/file-upload/f1/receipt.png', type: 'file', description: 'my receipt', image_type: 'image/png' },
      { title: undefined, titleLink: undefined, imageUrl: undefined, type: undefined, description: undefined },
    ]);
    expect(m.attachments[0]).not.toHaveProperty('title_link');
    expect(m.attachments[0]).not.toHaveProperty('image_url');
  });

  it('reads EJSON dates and the edit time', () => {
    expect(toMessage({ _id: 'm1', ts: { $date: MS }, editedAt: { $date: MS + 1 }, _updatedAt: { $date: MS + 2 } })).toMatchObject({
      createdAt: new Date(MS),
      editedAt: new Date(MS + 1),
      updatedAt: new Date(MS + 2),
    });
  });

  it('ignores fields of the wrong type and fields it does not know', () => {
    jest.useFakeTimers({ now: MS });
    try {
      expect(toMessage({ _id: 'm1', rid: 5, msg: { text: 'hi' }, u: { username: 'no-id' }, token: 1, t: [], ts: 'never', md: [], mentions: [] })).toEqual({
        id: 'm1',
        roomId: '',
        text: '',
        createdAt: new Date(MS),
        author: { id: '', username: '' },
        visitorToken: undefined,
        systemType: undefined,
        files: [],
        attachments: [],
        editedAt: undefined,
        updatedAt: undefined,
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it.each<[string, unknown]>([
    ['without _id', { msg: 'hi' }],
    ['with an empty _id', { _id: '', msg: 'hi' }],
    ['that is null', null],
  ])('refuses a message %s as a malformed answer', (_what, value) => {
    expect(() => toMessage(value)).toThrow(new MalformedAnswerError("Rocket.Chat's message has no _id"));
  });
});

describe('toDepartments', () => {
  it('reads departments with their flags', () => {
    expect(
      toDepartments([
        { _id: 'd1', name: 'Sales', enabled: true, showOnRegistration: false, showOnOfflineForm: true, numAgents: 3 },
        { _id: 'd2', name: 'Support' },
      ]),
    ).toEqual([
      { id: 'd1', name: 'Sales', enabled: true, showOnRegistration: false, showOnOfflineForm: true },
      { id: 'd2', name: 'Support', enabled: undefined, showOnRegistration: undefined, showOnOfflineForm: undefined },
    ]);
  });

  it('skips entries without an _id and ignores flags of the wrong type', () => {
    expect(toDepartments([{ name: 'no id' }, { _id: 7 }, 'd3', null, { _id: 'd4', name: 4, enabled: 'yes', showOnRegistration: 1 }])).toEqual([
      { id: 'd4', name: '', enabled: undefined, showOnRegistration: undefined, showOnOfflineForm: undefined },
    ]);
  });

  it.each([undefined, null, 'd1', { _id: 'd1' }])('reads %p as no departments', (value) => {
    expect(toDepartments(value)).toEqual([]);
  });
});

describe('toWidgetConfig', () => {
  it('reads the widget config', () => {
    expect(
      toWidgetConfig({
        enabled: true,
        online: true,
        settings: { registrationForm: true, nameFieldRegistrationForm: true },
        departments: [{ _id: 'd1', name: 'Sales' }],
        room: { _id: 'r1', open: true },
        agent: { _id: 'a1', username: 'ana.agent', name: 'Ana Costa', emails: [] },
        theme: { color: '#C1272D' },
      }),
    ).toEqual({
      enabled: true,
      online: true,
      settings: { registrationForm: true, nameFieldRegistrationForm: true },
      departments: [{ id: 'd1', name: 'Sales', enabled: undefined, showOnRegistration: undefined, showOnOfflineForm: undefined }],
      room: { id: 'r1' },
      agent: { id: 'a1', username: 'ana.agent', name: 'Ana Costa' },
    });
  });

  it.each<[string, unknown]>([
    ['nothing', undefined],
    ['an array', []],
    ['fields of the wrong type', { enabled: 'true', online: 1, settings: ['x'], departments: {}, room: { _id: 3 }, agent: { username: 'no-id' } }],
  ])('reads %s as a disabled, offline widget with nothing in it', (_what, value) => {
    expect(toWidgetConfig(value)).toEqual({ enabled: false, online: false, settings: {}, departments: [], room: undefined, agent: undefined });
  });
});
