/**
 * Rocket.Chat's Omnichannel webhook body, read defensively (CONTRACT-NOTES §12). This is the only
 * place that knows its field names; what leaves it is typed and dated.
 */

export type JsonObject = Record<string, unknown>;

/** A body omnigate can never apply: answered 400 and kept as `rejected`. */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

export interface WebhookUser {
  id: string;
  username?: string;
  name?: string;
  /** `servedBy.ts`: since when this agent serves the room */
  since?: Date;
}

export interface WebhookFile {
  id?: string;
  name?: string;
  type?: string;
  size?: number;
  url?: string;
}

export interface WebhookAttachment {
  title?: string;
  url?: string;
  type?: string;
  size?: number;
  description?: string;
}

export interface WebhookMessage {
  id: string;
  text: string;
  sentAt?: Date;
  username?: string;
  /** `u`: only newest Rocket.Chat sends it */
  author?: WebhookUser;
  /** set when the author is not the visitor (agents, bots, system senders) */
  agentId?: string;
  editedAt?: Date;
  closing: boolean;
  file?: WebhookFile;
  attachments: WebhookAttachment[];
}

export interface WebhookVisitor {
  id?: string;
  token: string;
  name?: string;
  username?: string;
  department?: string;
  email?: string;
  phone?: string;
  customFields?: Record<string, string>;
}

/** Every event about a room: Start, Queued, Taken, Forwarded, Message, LivechatSession, Edit, LeadCapture. */
export interface RoomPayload {
  type: string;
  roomId: string;
  createdAt?: Date;
  lastMessageAt?: Date;
  topic?: string;
  tags?: string[];
  visitor: WebhookVisitor;
  agent?: WebhookUser;
  departmentId?: string;
  servedBy?: WebhookUser;
  oldServedBy?: WebhookUser;
  oldDepartmentId?: string;
  closedAt?: Date;
  closedBy?: WebhookUser;
  closer?: string;
  messages: WebhookMessage[];
}

export interface OfflineMessagePayload {
  type: 'LivechatOfflineMessage';
  name: string;
  email: string;
  message: string;
  department?: string;
  sentAt?: Date;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown): JsonObject | undefined {
  return isJsonObject(v) ? v : undefined;
}

/** Text cut to the column it lands in: an oversized field must not turn into a 5xx (retried in vain). */
function str(v: unknown, max = 255): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Years 1970-9999 only: JavaScript accepts dates PostgreSQL cannot store (a 5xx retried in vain). */
const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31);

function date(v: unknown): Date | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const d = new Date(v);
  const t = d.getTime();
  return Number.isNaN(t) || t < MIN_TIME || t > MAX_TIME ? undefined : d;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function user(v: unknown): WebhookUser | undefined {
  const o = obj(v);
  const id = str(o?._id, 64);
  if (!o || !id) return undefined;
  return { id, username: str(o.username, 100), name: str(o.name), since: date(o.ts) };
}

/** Rocket.Chat sends email and phone as arrays of objects (`visitorEmails`, `phone`: CONTRACT-NOTES.md §12, Payload). */
function firstOf(v: unknown, key: string, max: number): string | undefined {
  if (typeof v === 'string') return str(v, max);
  return str(obj(arr(v)[0])?.[key], max);
}

function customFields(v: unknown): Record<string, string> | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(o)) {
    if (typeof value === 'string') out[k] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[k] = String(value);
  }
  return out;
}

function visitor(v: unknown): WebhookVisitor {
  const o = obj(v);
  if (!o) throw new WebhookPayloadError('visitor', 'is required');
  const token = str(o.token, 1000);
  if (!token) throw new WebhookPayloadError('visitor.token', 'is required');
  if (token.length > 200) throw new WebhookPayloadError('visitor.token', 'must be at most 200 characters');
  return {
    id: str(o._id, 64),
    token,
    name: str(o.name),
    username: str(o.username, 100),
    department: str(o.department, 64),
    email: firstOf(o.email, 'address', 320),
    phone: firstOf(o.phone, 'phoneNumber', 50),
    customFields: customFields(o.customFields),
  };
}

function file(m: JsonObject): WebhookFile | undefined {
  const f = obj(m.file);
  if (!f) return undefined;
  const upload = obj(m.fileUpload);
  return { id: str(f._id, 64), name: str(f.name), type: str(f.type), size: num(f.size) ?? num(upload?.size), url: str(upload?.publicFilePath, 2000) };
}

function attachment(v: unknown): WebhookAttachment | undefined {
  const a = obj(v);
  if (!a) return undefined;
  return {
    title: str(a.title),
    url: str(a.title_link, 2000) ?? str(a.image_url, 2000) ?? str(a.audio_url, 2000) ?? str(a.video_url, 2000),
    type: str(a.image_type) ?? str(a.audio_type) ?? str(a.video_type) ?? str(a.type),
    size: num(a.image_size) ?? num(a.audio_size) ?? num(a.video_size),
    description: str(a.description, 10000),
  };
}

function message(v: unknown, index: number, required: boolean): WebhookMessage | undefined {
  const m = obj(v);
  const id = str(m?._id, 1000);
  if (!m || !id || id.length > 64) {
    if (required) throw new WebhookPayloadError(`messages[${index}]._id`, 'is required (at most 64 characters)');
    return undefined;
  }
  return {
    id,
    // Rocket.Chat drops `msg` when the text is empty (JSON.stringify of no blocks)
    text: typeof m.msg === 'string' ? m.msg : '',
    sentAt: date(m.ts),
    username: str(m.username, 100),
    author: user(m.u),
    agentId: str(m.agentId, 64),
    editedAt: date(m.editedAt),
    closing: m.closingMessage === true,
    file: file(m),
    attachments: arr(m.attachments).map(attachment).filter((a): a is WebhookAttachment => !!a),
  };
}

/**
 * A room event. `requireMessage`: a `Message` event is nothing without its message. Elsewhere a
 * message without `_id` is skipped rather than losing the whole event (a 4xx is never retried).
 */
export function parseRoomPayload(body: JsonObject, type: string, requireMessage = false): RoomPayload {
  const roomId = str(body._id, 1000);
  if (!roomId) throw new WebhookPayloadError('_id', '(the room id) is required');
  if (roomId.length > 64) throw new WebhookPayloadError('_id', 'must be at most 64 characters');
  const rawMessages = arr(body.messages);
  if (requireMessage && rawMessages.length === 0) throw new WebhookPayloadError('messages[0]._id', 'is required');
  return {
    type,
    roomId,
    createdAt: date(body.createdAt),
    lastMessageAt: date(body.lastMessageAt),
    topic: str(body.topic),
    tags: Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string' && t.length > 0).map((t) => t.slice(0, 255)) : undefined,
    visitor: visitor(body.visitor),
    agent: user(body.agent),
    departmentId: str(body.departmentId, 64),
    servedBy: user(body.servedBy),
    oldServedBy: user(body.oldServedBy),
    oldDepartmentId: str(body.oldDepartmentId, 64),
    closedAt: date(body.closedAt),
    closedBy: user(body.closedBy),
    closer: str(body.closer),
    messages: rawMessages.map((m, i) => message(m, i, requireMessage)).filter((m): m is WebhookMessage => !!m),
  };
}

/** `{ type, sentAt, visitor: { name, email }, message }`: no room (CONTRACT-NOTES §10). */
export function parseOfflineMessage(body: JsonObject): OfflineMessagePayload {
  const v = obj(body.visitor);
  const email = firstOf(v?.email, 'address', 1000);
  if (!email) throw new WebhookPayloadError('visitor.email', 'is required');
  if (email.length > 320) throw new WebhookPayloadError('visitor.email', 'must be at most 320 characters');
  const message = str(body.message, 100_000);
  if (!message) throw new WebhookPayloadError('message', 'is required');
  return {
    type: 'LivechatOfflineMessage',
    name: str(v?.name) ?? '',
    email,
    message,
    department: str(body.department, 64),
    sentAt: date(body.sentAt),
  };
}
