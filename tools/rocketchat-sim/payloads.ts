import type { SimStore } from './store';
import type { Agent, JsonObject, Message, Room, Visitor, WebhookEventType } from './types';
import { describeUserAgent } from './user-agent';

/** JSON as it goes on the wire: Dates become ISO strings, undefined keys disappear. */
export function toWire<T>(value: T): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

export function restVisitor(v: Visitor): JsonObject {
  return toWire({
    _id: v._id,
    username: v.username,
    ts: v.ts,
    _updatedAt: v._updatedAt,
    token: v.token,
    name: v.name,
    department: v.department,
    visitorEmails: v.visitorEmails,
    phone: v.phone,
    livechatData: Object.keys(v.livechatData).length ? v.livechatData : undefined,
    status: v.status,
  });
}

export function restRoom(r: Room): JsonObject {
  return toWire({
    _id: r._id,
    msgs: r.msgs,
    usersCount: r.usersCount,
    fname: r.fname,
    t: r.t,
    ts: r.ts,
    departmentId: r.departmentId,
    v: r.v,
    cl: false,
    open: r.open ? true : undefined,
    waitingResponse: r.waitingResponse,
    source: r.source,
    queuedAt: r.queuedAt,
    _updatedAt: r._updatedAt,
    servedBy: r.servedBy,
    closedAt: r.closedAt,
    closer: r.closer,
    closedBy: r.closedBy,
  });
}

/** The projection `room.transfer` answers with (`findRoom`): t, departmentId, servedBy, open, v, ts. */
export function transferredRoom(r: Room): JsonObject {
  return toWire({ _id: r._id, t: r.t, departmentId: r.departmentId, servedBy: r.servedBy, open: r.open, v: r.v, ts: r.ts });
}

/** A stored message as Rocket.Chat's history and GET message return it. */
export function restMessage(m: Message): JsonObject {
  return toWire({
    _id: m._id,
    t: m.t,
    rid: m.rid,
    msg: m.msg,
    token: m.token,
    alias: m.alias,
    ts: m.ts,
    u: m.u,
    groupable: m.groupable,
    file: m.file,
    files: m.files,
    attachments: m.attachments,
    fileUpload: m.file ? fileUpload(m) : undefined,
    editedAt: m.editedAt,
    editedBy: m.editedBy,
    _updatedAt: m._updatedAt,
  });
}

/** The answer to a send carries the parsed message as the sender's server computed it. */
export function sentMessage(m: Message): JsonObject {
  return { ...restMessage(m), mentions: [], channels: [], md: markdownOf(m.msg) };
}

function markdownOf(text: string): JsonObject[] {
  return text.split('\n').map((line) => ({ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: line }] }));
}

function fileUpload(m: Message): JsonObject | undefined {
  if (!m.file) return undefined;
  return { publicFilePath: `/file-upload/${m.file._id}/${encodeURIComponent(m.file.name)}`, type: m.file.type, size: m.file.size };
}

/**
 * `messages[]` entries of a webhook (sendToCRM): system messages are left out except the closing
 * one; `agentId` marks every author who is not the visitor. Newest Rocket.Chat also adds `u` and,
 * for files, `fileUpload` (CONTRACT-NOTES §12).
 */
export function webhookMessages(messages: Message[], visitor: Visitor): JsonObject[] {
  return messages
    .filter((m) => !m.t || m.t === 'livechat-close')
    .map((m) =>
      toWire({
        u: m.u,
        _id: m._id,
        username: m.u.username,
        // An empty text becomes JSON.stringify(blocks), which is undefined without blocks.
        msg: m.msg === '' ? undefined : m.msg,
        ts: m.ts,
        rid: m.rid,
        // sendToCRM: `...(isEditedMessage(message) && { editedAt })`
        editedAt: m.editedAt,
        agentId: m.u.username !== visitor.username ? m.u._id : undefined,
        closingMessage: m.t === 'livechat-close' ? true : undefined,
        file: m.file,
        attachments: m.file ? m.attachments : undefined,
        fileUpload: fileUpload(m),
        _updatedAt: m._updatedAt,
      }),
    );
}

function webhookVisitor(v: Visitor): JsonObject {
  const { os, browser } = describeUserAgent(v.userAgent);
  return toWire({
    _id: v._id,
    token: v.token,
    name: v.name || v.username,
    username: v.username,
    department: v.department,
    ip: v.ip,
    os,
    browser,
    customFields: v.livechatData,
    email: v.visitorEmails?.length ? v.visitorEmails : undefined,
    phone: v.phone?.length ? v.phone : undefined,
  });
}

function webhookAgent(a: Agent): JsonObject {
  return { _id: a._id, username: a.username, name: a.name, email: a.email };
}

/** `getLivechatRoomGuestInfo(room)` + `type` + `messages` + the per-type fields. */
export function roomPayload(store: SimStore, room: Room, type: WebhookEventType, messages: Message[], extra: JsonObject = {}): JsonObject {
  const visitor = store.visitors.get(room.v._id);
  if (!visitor) throw new Error(`visitor ${room.v._id} is gone`);
  const agent = room.servedBy ? store.agentById(room.servedBy._id) : undefined;
  return toWire({
    _id: room._id,
    label: room.fname,
    topic: room.topic,
    createdAt: room.ts,
    lastMessageAt: room.lm,
    tags: room.tags,
    customFields: room.livechatData,
    visitor: webhookVisitor(visitor),
    agent: agent ? webhookAgent(agent) : undefined,
    crmData: room.crmData || undefined,
    type,
    messages: webhookMessages(messages, visitor),
    ...extra,
  });
}

/** The per-type fields of `getAdditionalFieldsByType`. */
export function sessionFields(room: Room, type: WebhookEventType): JsonObject {
  switch (type) {
    case 'LivechatSessionStart':
    case 'LivechatSessionQueued':
      return { departmentId: room.departmentId };
    case 'LivechatSessionTaken':
    case 'LivechatSessionForwarded':
      return { departmentId: room.departmentId, servedBy: room.servedBy };
    case 'LivechatSession':
      return { departmentId: room.departmentId, servedBy: room.servedBy, closedAt: room.closedAt, closedBy: room.closedBy, closer: room.closer };
    default:
      return {};
  }
}
