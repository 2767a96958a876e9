import { agentRef, closedBy, closedEvent, forwardedEvent, inboundMessage, queuedEvent, takenEvent } from '../../../src/webhooks/webhook.mapper';
import type { RoomPayload, WebhookMessage, WebhookUser } from '../../../src/webhooks/webhook-payload';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 10, 24, 12, 0, seconds));
const CREATED = at(0);
const RECEIVED = at(59);

const JOAO: WebhookUser = { id: 'agent-joao', username: 'joao.agent', name: 'Joao Lima' };
const ANA: WebhookUser = { id: 'agent-ana', username: 'ana.agent', name: 'Ana Costa' };

function payload(overrides: Partial<RoomPayload> = {}): RoomPayload {
  return {
    type: 'LivechatSession',
    roomId: 'room-1',
    createdAt: CREATED,
    visitor: { id: 'visitor-1', token: 'visitor-token', name: 'Maria Souza', username: 'guest-412', department: 'dept-visitor' },
    messages: [],
    ...overrides,
  };
}

function message(overrides: Partial<WebhookMessage> = {}): WebhookMessage {
  return { id: 'msg-1', text: 'hello', sentAt: at(5), closing: false, attachments: [], ...overrides };
}

/** Messages deliberately out of order: the newest (at 30) sits in the middle. */
const transcript = [message({ id: 'm1', sentAt: at(10) }), message({ id: 'm2', sentAt: at(30) }), message({ id: 'm3', sentAt: at(20) }), message({ id: 'm4', sentAt: undefined })];

describe('queuedEvent', () => {
  it.each<[string, Partial<RoomPayload>, Date]>([
    ['the newest transcript message, in any order', { messages: transcript }, at(30)],
    ['the room’s creation when no message is dated', { messages: [message({ sentAt: undefined })] }, CREATED],
    ['the room’s creation when there is no message', {}, CREATED],
    ['the arrival when the room has no creation time either', { createdAt: undefined }, RECEIVED],
  ])('is dated by %s', (_what, overrides, occurredAt) => {
    expect(queuedEvent(payload(overrides), RECEIVED).occurredAt).toEqual(occurredAt);
  });

  it.each<[string, Partial<RoomPayload>, string | null]>([
    ['the room’s', { departmentId: 'dept-room' }, 'dept-room'],
    ['the visitor’s when the room has none', {}, 'dept-visitor'],
    ['none when neither has one', { visitor: { token: 'visitor-token' } }, null],
  ])('names %s department', (_what, overrides, departmentId) => {
    expect(queuedEvent(payload(overrides), RECEIVED)).toEqual({ type: 'queued', occurredAt: CREATED, departmentId });
  });
});

describe('takenEvent', () => {
  it('is nothing when the payload names no agent', () => {
    expect(takenEvent(payload(), RECEIVED)).toBeNull();
  });

  it.each<[string, Partial<RoomPayload>, Date]>([
    ['the agent’s servedBy.ts', { servedBy: { ...JOAO, since: at(41) } }, at(41)],
    ['the room’s creation without servedBy.ts', { servedBy: JOAO }, CREATED],
    ['the arrival without either', { servedBy: JOAO, createdAt: undefined }, RECEIVED],
  ])('is dated by %s', (_what, overrides, occurredAt) => {
    expect(takenEvent(payload(overrides), RECEIVED)?.occurredAt).toEqual(occurredAt);
  });

  it('falls back to `agent` when there is no servedBy', () => {
    expect(takenEvent(payload({ agent: JOAO, departmentId: 'dept-room' }), RECEIVED)).toEqual({
      type: 'taken',
      occurredAt: CREATED,
      agent: { id: JOAO.id, username: JOAO.username, name: JOAO.name },
      departmentId: 'dept-room',
    });
  });

  it('prefers servedBy to `agent`, and names no department the room does not (the visitor’s does not stand in)', () => {
    expect(takenEvent(payload({ servedBy: { id: ANA.id, username: ANA.username }, agent: JOAO }), RECEIVED)).toMatchObject({
      agent: { id: ANA.id, username: ANA.username, name: null },
      departmentId: null,
    });
  });
});

describe('agentRef', () => {
  it.each<[string, WebhookUser, WebhookUser | undefined, string | null]>([
    ['its own name', JOAO, ANA, 'Joao Lima'],
    ['`agent`’s name when `agent` is the same person', { id: JOAO.id, username: JOAO.username }, JOAO, 'Joao Lima'],
    ['no name when `agent` is someone else', { id: JOAO.id, username: JOAO.username }, ANA, null],
    ['no name when there is no `agent`', { id: JOAO.id }, undefined, null],
  ])('gives a user %s', (_what, user, agent, name) => {
    expect(agentRef(user, payload({ agent }))).toEqual({ id: JOAO.id, username: user.username ?? null, name });
  });
});

describe('forwardedEvent', () => {
  it('to an agent names the previous agent (oldServedBy) and is dated by the new agent’s servedBy.ts', () => {
    const p = payload({ servedBy: { id: ANA.id, username: ANA.username, since: at(45) }, agent: ANA, oldServedBy: { id: JOAO.id, username: JOAO.username }, departmentId: 'dept-room', messages: transcript });
    expect(forwardedEvent(p, RECEIVED)).toEqual({
      type: 'forwarded',
      occurredAt: at(45),
      to: 'agent',
      agent: { id: ANA.id, username: ANA.username, name: ANA.name },
      departmentId: 'dept-room',
      from: { agent: { id: JOAO.id, username: JOAO.username, name: null }, departmentId: null },
    });
  });

  it('to a department with nobody online names the previous department only', () => {
    const p = payload({ departmentId: 'dept-new', oldDepartmentId: 'dept-old', messages: transcript });
    expect(forwardedEvent(p, RECEIVED)).toEqual({
      type: 'forwarded',
      occurredAt: at(30),
      to: 'department',
      agent: null,
      departmentId: 'dept-new',
      from: { agent: null, departmentId: 'dept-old' },
    });
  });

  it('to a department that lands on an agent names that agent', () => {
    const p = payload({ servedBy: { ...ANA, since: at(45) }, departmentId: 'dept-new', oldDepartmentId: 'dept-old' });
    expect(forwardedEvent(p, RECEIVED)).toMatchObject({ to: 'department', agent: { id: ANA.id }, occurredAt: at(45), from: { agent: null, departmentId: 'dept-old' } });
  });

  it.each<[string, Partial<RoomPayload>, Date]>([
    ['the new agent’s servedBy.ts', { servedBy: { ...ANA, since: at(45) }, messages: transcript }, at(45)],
    ['the newest transcript message without servedBy.ts', { servedBy: ANA, messages: transcript }, at(30)],
    ['the newest transcript message when nobody serves', { messages: transcript }, at(30)],
    ['the room’s creation without a dated message', { messages: [message({ sentAt: undefined })] }, CREATED],
    ['the arrival without a creation time either', { createdAt: undefined }, RECEIVED],
  ])('is dated by %s', (_what, overrides, occurredAt) => {
    expect(forwardedEvent(payload(overrides), RECEIVED).occurredAt).toEqual(occurredAt);
  });

  it('is dated the same for every redelivery, whenever it arrives', () => {
    const p = payload({ oldDepartmentId: 'dept-old', messages: transcript });
    expect(forwardedEvent(p, at(59))).toEqual(forwardedEvent(p, at(3600)));
  });
});

describe('closedBy', () => {
  it.each<[string, Partial<RoomPayload>, string]>([
    ['the visitor', { closer: 'visitor', closedBy: { id: 'visitor-1', username: 'guest-412' } }, 'visitor'],
    ['the visitor, whoever closedBy names', { closer: 'visitor', closedBy: { id: 'rocket.cat', username: 'rocket.cat' } }, 'visitor'],
    ['an agent', { closer: 'user', closedBy: JOAO }, 'agent'],
    ['an agent named by id only', { closer: 'user', closedBy: { id: JOAO.id } }, 'agent'],
    ['rocket.cat (the inactivity bot): the system', { closer: 'user', closedBy: { id: 'rocket.cat', username: 'rocket.cat' } }, 'system'],
    ['nobody: the system', { closer: 'user' }, 'system'],
    ['nothing said at all: the system', {}, 'system'],
  ])('a close by %s', (_what, overrides, expected) => {
    expect(closedBy(payload(overrides))).toBe(expected);
  });
});

describe('closedEvent', () => {
  const closing = message({ id: 'm-close', text: 'Thanks, bye!', closing: true, agentId: ANA.id, sentAt: at(50) });

  it('records who closed, who served, the department, the closing message’s text as comment, and the tags', () => {
    const p = payload({ closedAt: at(50), closer: 'user', closedBy: ANA, servedBy: { id: ANA.id, username: ANA.username }, agent: ANA, departmentId: 'dept-room', tags: ['delivery'], messages: [message(), closing] });
    expect(closedEvent(p, RECEIVED)).toEqual({
      type: 'closed',
      occurredAt: at(50),
      closedBy: 'agent',
      closer: { id: ANA.id, username: ANA.username },
      agent: { id: ANA.id, username: ANA.username, name: ANA.name },
      departmentId: 'dept-room',
      comment: 'Thanks, bye!',
      tags: ['delivery'],
    });
  });

  it.each<[string, WebhookMessage[]]>([
    ['no closing message', [message()]],
    ['an empty closing message', [message({ text: '', closing: true })]],
    ['no message at all', []],
  ])('has no comment with %s', (_what, messages) => {
    expect(closedEvent(payload({ messages }), RECEIVED)).toMatchObject({ comment: null });
  });

  it('a bare close (no closer, agent, department or tags) names nobody', () => {
    expect(closedEvent(payload(), RECEIVED)).toEqual({
      type: 'closed',
      occurredAt: RECEIVED,
      closedBy: 'system',
      closer: null,
      agent: null,
      departmentId: null,
      comment: null,
      tags: undefined,
    });
  });
});

describe('inboundMessage', () => {
  const p = payload({ closedAt: at(50), agent: JOAO });

  it.each<[string, Partial<WebhookMessage>, string, string | null]>([
    ['a message without agentId: the visitor', {}, 'visitor', null],
    ['a message with agentId: an agent', { agentId: JOAO.id }, 'agent', null],
    ['the closing message: the system', { closing: true, agentId: ANA.id }, 'system', 'livechat-close'],
    ['a closing message without agentId: the system still', { closing: true }, 'system', 'livechat-close'],
  ])('the author of %s', (_what, overrides, authorType, systemType) => {
    expect(inboundMessage(message(overrides), p, RECEIVED)).toMatchObject({ authorType, systemType });
  });

  it.each<[string, Partial<WebhookMessage>, Partial<RoomPayload>, { authorId: string | null; authorUsername: string | null; authorName: string | null }]>([
    ['a visitor with `u`', { author: { id: 'u-visitor', username: 'guest-412', name: 'Maria S.' } }, {}, { authorId: 'u-visitor', authorUsername: 'guest-412', authorName: 'Maria S.' }],
    ['a visitor without `u`: the room’s visitor', {}, {}, { authorId: 'visitor-1', authorUsername: null, authorName: 'Maria Souza' }],
    ['a visitor nobody names', {}, { visitor: { token: 'visitor-token' } }, { authorId: null, authorUsername: null, authorName: null }],
    ['an agent by agentId and username, never the visitor’s name nor `agent`’s', { agentId: JOAO.id, username: JOAO.username }, {}, { authorId: JOAO.id, authorUsername: JOAO.username!, authorName: null }],
    ['an agent with `u`', { agentId: JOAO.id, author: { ...JOAO, name: 'João' } }, {}, { authorId: JOAO.id, authorUsername: JOAO.username!, authorName: 'João' }],
  ])('names %s', (_what, overrides, room, author) => {
    expect(inboundMessage(message(overrides), payload({ ...room, agent: JOAO }), RECEIVED)).toMatchObject(author);
  });

  it.each<[string, Partial<WebhookMessage>, Partial<RoomPayload>, Date]>([
    ['its own time', { sentAt: at(5) }, { closedAt: at(50) }, at(5)],
    ['the close time without one', { sentAt: undefined }, { closedAt: at(50) }, at(50)],
    ['the arrival without either', { sentAt: undefined }, {}, RECEIVED],
  ])('is dated by %s', (_what, overrides, room, sentAt) => {
    expect(inboundMessage(message(overrides), payload(room), RECEIVED).sentAt).toEqual(sentAt);
  });

  it('keeps the text, the edit time and a file before the attachments, without undefined fields', () => {
    const m = message({
      text: 'see attached',
      editedAt: at(7),
      file: { id: 'f1', name: 'receipt.png', type: 'image/png', size: 2048, url: '/file-upload/f1/receipt.png' },
      attachments: [{ title: 'receipt.png', url: '/file-upload/f1/receipt.png', type: 'image/png' }, { description: 'just text' }],
    });
    const inbound = inboundMessage(m, p, RECEIVED);
    expect(inbound).toMatchObject({ rocketchatMessageId: 'msg-1', text: 'see attached', editedAt: at(7) });
    expect(inbound.attachments).toStrictEqual([
      { kind: 'file', id: 'f1', name: 'receipt.png', type: 'image/png', size: 2048, url: '/file-upload/f1/receipt.png' },
      { kind: 'attachment', title: 'receipt.png', url: '/file-upload/f1/receipt.png', type: 'image/png' },
      { kind: 'attachment', description: 'just text' },
    ]);
  });

  it('an unedited plain message has no edit time, no system type and no attachments', () => {
    expect(inboundMessage(message(), p, RECEIVED)).toMatchObject({ editedAt: null, systemType: null, attachments: [] });
  });
});
