/** The simulator's own records. Field names follow Rocket.Chat's collections so projections stay thin. */

/** A department as a seed gives it: the flags default to true. */
export interface Department {
  _id: string;
  name: string;
  enabled?: boolean;
  showOnRegistration?: boolean;
  showOnOfflineForm?: boolean;
}

/** A stored department: every flag set. */
export type StoredDepartment = Required<Department>;

/** A REST user (X-User-Id + X-Auth-Token) for the authenticated livechat routes. */
export interface ApiUser {
  userId: string;
  authToken: string;
  username?: string;
  /** default: every permission the simulated routes check */
  permissions?: string[];
}

export type AgentStatus = 'online' | 'offline';

export interface Agent {
  _id: string;
  username: string;
  name: string;
  email: string;
  status: AgentStatus;
  departmentIds: string[];
}

export interface Visitor {
  _id: string;
  token: string;
  username: string;
  name?: string;
  department?: string;
  visitorEmails?: { address: string }[];
  phone?: { phoneNumber: string }[];
  livechatData: Record<string, string>;
  ip?: string;
  userAgent?: string;
  ts: Date;
  _updatedAt: Date;
  status: 'online';
}

export interface ServedBy {
  _id: string;
  username: string;
  ts: Date;
}

export interface ClosedBy {
  _id: string;
  username: string;
}

export interface Room {
  _id: string;
  t: 'l';
  fname: string;
  v: { _id: string; username: string; token: string; status: string };
  servedBy?: ServedBy;
  departmentId?: string;
  open: boolean;
  ts: Date;
  queuedAt?: Date;
  lm?: Date;
  msgs: number;
  usersCount: number;
  waitingResponse?: boolean;
  source: { type: string };
  topic?: string;
  tags: string[];
  livechatData?: Record<string, string>;
  closedAt?: Date;
  closer?: 'visitor' | 'user';
  closedBy?: ClosedBy;
  closeComment?: string;
  /** `POST livechat/room.survey`: one key per rated item, last write wins. */
  surveyFeedback?: Record<string, string>;
  /** The text body of the last 200 answer to a webhook for this room (Rocket.Chat's crmData). */
  crmData?: string;
  _updatedAt: Date;
}

export interface StoredFile {
  _id: string;
  name: string;
  type: string;
  size: number;
  data: Buffer;
  description?: string;
  /** the room the file was posted in (Uploads.rid): checked on download since CVE-2026-48616's fix */
  rid: string;
}

export interface Message {
  _id: string;
  rid: string;
  msg: string;
  ts: Date;
  u: { _id: string; username: string; name?: string };
  /** Set on visitor messages only: Rocket.Chat tells visitor from agent by it. */
  token?: string;
  alias?: string;
  /** System message type (`livechat-started`, `livechat-close`, `uj`, `livechat_transfer_history`). */
  t?: string;
  groupable?: boolean;
  file?: { _id: string; name: string; type: string; size: number };
  files?: { _id: string; name: string; type: string; size: number }[];
  attachments?: Record<string, unknown>[];
  /** set by an edit (updateMessage) */
  editedAt?: Date;
  editedBy?: { _id: string; username: string };
  _updatedAt: Date;
}

/** The settings `Livechat_webhook_on_*` that switch each event type on or off. */
export type WebhookSwitch =
  | 'Livechat_webhook_on_start'
  | 'Livechat_webhook_on_close'
  | 'Livechat_webhook_on_chat_taken'
  | 'Livechat_webhook_on_chat_queued'
  | 'Livechat_webhook_on_forward'
  | 'Livechat_webhook_on_offline_msg'
  | 'Livechat_webhook_on_visitor_message'
  | 'Livechat_webhook_on_agent_message'
  | 'Livechat_webhook_on_capture';

export type WebhookEventType =
  | 'LivechatSessionStart'
  | 'LivechatSessionQueued'
  | 'LivechatSessionTaken'
  | 'LivechatSessionForwarded'
  | 'LivechatSession'
  | 'Message'
  | 'LivechatEdit'
  | 'LeadCapture'
  | 'LivechatOfflineMessage';

export type JsonObject = Record<string, unknown>;

export interface WebhookEvent {
  /** The simulator's id for one event, shared by all attempts (and by injected duplicates). */
  eventId: string;
  type: WebhookEventType;
  rid?: string;
  payload: JsonObject;
}

export type AttemptOutcome = 'success' | 'retry' | 'failed' | 'gave-up' | 'dropped';

/** One line of the delivery log: every attempt, plus the events a fault dropped. */
export interface WebhookAttempt {
  eventId: string;
  type: WebhookEventType;
  rid?: string;
  attempt: number;
  at: Date;
  status?: number;
  error?: string;
  /** success (200) · retry (will be tried again) · failed (non-retryable, dropped) · gave-up (last attempt failed) · dropped (fault) */
  outcome: AttemptOutcome;
  /** true for the extra copy sent by `duplicateNext` */
  duplicate?: boolean;
  payload: JsonObject;
}

/**
 * Which failed answers the webhook sender tries again: `any-non-200` (7.10.3 and older, 4xx
 * included) or `transient` (7.10.4+: network errors, timeouts, 5xx and 429; others are dropped).
 */
export type WebhookRetryRule = 'any-non-200' | 'transient';

export interface WebhookConfig {
  url: string;
  token?: string;
  events?: Partial<Record<WebhookSwitch, boolean>>;
  /** Livechat_http_timeout (ms); default 5000 */
  httpTimeoutMs?: number;
  /** pause between attempts; default 4 × httpTimeoutMs as in Rocket.Chat */
  retryDelayMs?: number;
  /** attempts in total; default by version: 10 up to 7.10.3, 5 from 7.10.4 */
  maxAttempts?: number;
  /**
   * Up to 7.10.3 Rocket.Chat awaits the first attempt of the room and message events before it
   * answers the REST call that caused them; from 7.10.4 it does not. Default by version.
   */
  awaitFirstAttempt?: boolean;
  /** default by version (see WebhookRetryRule) */
  retryOn?: WebhookRetryRule;
}

export interface RateLimitRule {
  calls: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** Overrides keyed `"<METHOD> livechat/..."` (route template) or `default`. */
  rules?: Record<string, RateLimitRule>;
}

export interface SimulatorOptions {
  /** The Rocket.Chat version played (major.minor.patch); default SIM_DEFAULT_VERSION, 8.8.1. */
  version?: string;
  port?: number;
  host?: string;
  webhook?: WebhookConfig;
  /** default true: Rocket.Chat's API rate limiter (CONTRACT-NOTES §0) */
  rateLimit?: boolean | RateLimitOptions;
  latencyMs?: number;
  departments?: Department[];
  agents?: { username: string; name: string; email?: string; status?: AgentStatus; departmentIds: string[]; _id?: string }[];
  /** Livechat_accept_chats_with_no_agents: default true (rooms queue); false → `no-agent-online`. */
  acceptChatsWithNoAgents?: boolean;
  /** Visitor custom fields defined in Rocket.Chat (scope visitor); default `address`, `plan`. */
  visitorCustomFields?: string[];
  /** Upload size cap in bytes (FileUpload_MaxFileSize); default 10 MiB. */
  maxUploadBytes?: number;
  /**
   * How long opening a room takes between the open-room check and the insert (Rocket.Chat's
   * createRoom awaits there); two concurrent GET livechat/room calls race in that window. Default 5.
   */
  roomCreateDelayMs?: number;
  /** Message_AllowEditing: default true (PUT livechat/message/:_id) */
  messageEditing?: boolean;
  /** Message_AllowDeleting: default true (DELETE livechat/message/:_id) */
  messageDeleting?: boolean;
  /** FileUpload_ProtectFiles: default true (a visitor downloads with rc_room_type/rc_rid/rc_token) */
  protectFiles?: boolean;
  /** users for the authenticated routes; default one `{ userId: 'sim-api-user', authToken: 'sim-api-token' }` */
  apiUsers?: ApiUser[];
}
