/** omnigate's view of Rocket.Chat objects: only what omnigate uses, dates as Date. */
import type { Readable } from 'node:stream';

export interface RcCustomField {
  key: string;
  value: string;
  overwrite: boolean;
}

export interface RcVisitorInput {
  token: string;
  name?: string;
  email?: string;
  phone?: string;
  department?: string;
  username?: string;
  customFields?: RcCustomField[];
}

export interface RcVisitor {
  id: string;
  token: string;
  username: string;
  name?: string;
  emails: string[];
  phones: string[];
  department?: string;
  customFields: Record<string, string>;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface RcUserRef {
  id: string;
  username: string;
  name?: string;
}

export interface RcRoom {
  id: string;
  open: boolean;
  visitor: { id: string; token: string; username: string };
  /** the serving agent; absent while the room is queued */
  servedBy?: RcUserRef & { since?: Date };
  departmentId?: string;
  createdAt: Date;
  queuedAt?: Date;
  closedAt?: Date;
  closer?: string;
  closedBy?: RcUserRef;
  tags: string[];
  lastMessageAt?: Date;
  source?: string;
}

export interface RcFile {
  id: string;
  name: string;
  type?: string;
  size?: number;
}

export interface RcAttachment {
  title?: string;
  titleLink?: string;
  type?: string;
  description?: string;
  imageUrl?: string;
  [key: string]: unknown;
}

export interface RcMessage {
  id: string;
  roomId: string;
  text: string;
  createdAt: Date;
  author: RcUserRef;
  /** set on visitor messages */
  visitorToken?: string;
  /** Rocket.Chat system message type (`livechat-started`, `livechat-close`, ...) */
  systemType?: string;
  files: RcFile[];
  attachments: RcAttachment[];
  editedAt?: Date;
  updatedAt?: Date;
}

export interface RcSendMessageResult {
  message: RcMessage;
  /** true when Rocket.Chat already held this `_id` (a retry after a lost answer) */
  alreadyDelivered: boolean;
}

export interface RcUpload {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface RcDepartment {
  id: string;
  name: string;
  /** the widget config lists enabled departments only and does not say so */
  enabled?: boolean;
  showOnRegistration?: boolean;
  showOnOfflineForm?: boolean;
}

export interface RcWidgetConfig {
  enabled: boolean;
  online: boolean;
  settings: Record<string, unknown>;
  departments: RcDepartment[];
  room?: { id: string };
  agent?: RcUserRef;
}

export interface RcTransferResult {
  open: boolean;
  departmentId?: string;
  /** who serves the room after the transfer, and since when; absent when it went back to a queue */
  servedBy?: RcUserRef & { since?: Date };
}

export interface RcDownload {
  stream: Readable;
  contentType: string;
  length?: number;
}
