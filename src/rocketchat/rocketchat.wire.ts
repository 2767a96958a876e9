/**
 * Rocket.Chat's JSON → omnigate's types. Rocket.Chat versions add and drop fields, so every value is
 * read defensively from `unknown`; a missing essential (an `_id`) is a malformed answer.
 */
import { RocketChatUnavailableError } from './rocketchat.errors';
import type { RcAttachment, RcDepartment, RcFile, RcMessage, RcRoom, RcUserRef, RcVisitor, RcWidgetConfig } from './rocketchat.types';

/** A 200 without what omnigate needs (an `_id`): as good as no answer, so it counts as unavailable. */
export class MalformedAnswerError extends RocketChatUnavailableError {
  override readonly name = 'MalformedAnswerError';

  constructor(message: string) {
    super('answer', message);
  }
}

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** ISO strings, and the `{ $date: ms }` EJSON form some versions still emit */
export function date(v: unknown): Date | undefined {
  const raw = typeof v === 'string' || typeof v === 'number' ? v : num(obj(v)?.$date);
  if (raw === undefined) return undefined;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function required(o: Json | undefined, key: string, what: string): string {
  const v = str(o?.[key]);
  if (!v) throw new MalformedAnswerError(`Rocket.Chat's ${what} has no ${key}`);
  return v;
}

function userRef(v: unknown): RcUserRef | undefined {
  const o = obj(v);
  const id = str(o?._id);
  if (!o || !id) return undefined;
  return { id, username: str(o.username) ?? '', name: str(o.name) };
}

export function toVisitor(v: unknown): RcVisitor {
  const o = obj(v);
  const customFields: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(o?.livechatData) ?? {})) if (typeof val === 'string') customFields[k] = val;
  return {
    id: required(o, '_id', 'visitor'),
    token: required(o, 'token', 'visitor'),
    username: str(o!.username) ?? '',
    name: str(o!.name),
    emails: arr(o!.visitorEmails).map((e) => str(obj(e)?.address)).filter((e): e is string => !!e),
    phones: arr(o!.phone).map((p) => str(obj(p)?.phoneNumber)).filter((p): p is string => !!p),
    department: str(o!.department),
    customFields,
    createdAt: date(o!.ts),
    updatedAt: date(o!._updatedAt),
  };
}

export function toRoom(v: unknown): RcRoom {
  const o = obj(v);
  const id = required(o, '_id', 'room');
  const visitor = obj(o!.v);
  const servedBy = userRef(o!.servedBy);
  return {
    id,
    open: o!.open === true,
    visitor: { id: str(visitor?._id) ?? '', token: str(visitor?.token) ?? '', username: str(visitor?.username) ?? '' },
    servedBy: servedBy ? { ...servedBy, since: date(obj(o!.servedBy)?.ts) } : undefined,
    departmentId: str(o!.departmentId),
    createdAt: date(o!.ts) ?? new Date(),
    queuedAt: date(o!.queuedAt),
    closedAt: date(o!.closedAt),
    closer: str(o!.closer),
    closedBy: userRef(o!.closedBy),
    tags: arr(o!.tags).filter((t): t is string => typeof t === 'string'),
    lastMessageAt: date(o!.lm),
    source: str(obj(o!.source)?.type),
  };
}

function toFile(v: unknown): RcFile | undefined {
  const o = obj(v);
  const id = str(o?._id);
  if (!o || !id) return undefined;
  return { id, name: str(o.name) ?? id, type: str(o.type), size: num(o.size) };
}

function toAttachment(v: unknown): RcAttachment | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const { title, title_link: titleLink, type, description, image_url: imageUrl, ...rest } = o;
  return { ...rest, title: str(title), titleLink: str(titleLink), type: str(type), description: str(description), imageUrl: str(imageUrl) };
}

export function toMessage(v: unknown): RcMessage {
  const o = obj(v);
  const id = required(o, '_id', 'message');
  const files = arr(o!.files).map(toFile).filter((f): f is RcFile => !!f);
  const single = toFile(o!.file);
  if (single && !files.some((f) => f.id === single.id)) files.unshift(single);
  return {
    id,
    roomId: str(o!.rid) ?? '',
    text: str(o!.msg) ?? '',
    createdAt: date(o!.ts) ?? new Date(),
    author: userRef(o!.u) ?? { id: '', username: '' },
    visitorToken: str(o!.token),
    systemType: str(o!.t),
    files,
    attachments: arr(o!.attachments).map(toAttachment).filter((a): a is RcAttachment => !!a),
    editedAt: date(o!.editedAt),
    updatedAt: date(o!._updatedAt),
  };
}

export function toWidgetConfig(v: unknown): RcWidgetConfig {
  const o = obj(v) ?? {};
  const room = obj(o.room);
  return {
    enabled: o.enabled === true,
    online: o.online === true,
    settings: obj(o.settings) ?? {},
    departments: toDepartments(o.departments),
    room: room && str(room._id) ? { id: str(room._id)! } : undefined,
    agent: userRef(o.agent),
  };
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** `livechat/config`'s `departments` and the authenticated `livechat/department` list alike. */
export function toDepartments(v: unknown): RcDepartment[] {
  return arr(v)
    .map((d) => obj(d))
    .filter((d): d is Json => !!d && typeof d._id === 'string')
    .map((d) => ({
      id: d._id as string,
      name: str(d.name) ?? '',
      enabled: bool(d.enabled),
      showOnRegistration: bool(d.showOnRegistration),
      showOnOfflineForm: bool(d.showOnOfflineForm),
    }));
}
