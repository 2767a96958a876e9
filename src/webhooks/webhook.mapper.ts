import type { StoredAttachment } from '../messages/message.entity';
import type { InboundMessage } from '../messages/message-store';
import type { ClosedBy } from '../rooms/room.entity';
import type { NewRoomFacts } from '../rooms/room-store';
import type { AgentRef, LifecycleEvent } from '../rooms/room-state';
import type { VisitorFacts } from '../visitors/visitor-store';
import type { RoomPayload, WebhookMessage, WebhookUser } from './webhook-payload';

/** Rocket.Chat's own bot closes rooms on inactivity: a system close, not an agent's. */
const SYSTEM_USERNAMES = new Set(['rocket.cat']);

export function visitorFacts(p: RoomPayload): VisitorFacts {
  const v = p.visitor;
  return {
    token: v.token,
    rocketchatId: v.id ?? null,
    username: v.username ?? null,
    name: v.name ?? null,
    email: v.email ?? null,
    phone: v.phone ?? null,
    department: v.department ?? null,
    customFields: v.customFields,
  };
}

/** The payload's `agent` carries the name `servedBy` lacks, when both are the same person. */
export function agentRef(u: WebhookUser, p: RoomPayload): AgentRef {
  const name = u.name ?? (p.agent?.id === u.id ? p.agent.name : undefined);
  return { id: u.id, username: u.username ?? null, name: name ?? null };
}

/**
 * The room as first recorded when omnigate learns of it from a webhook: always queued at its
 * creation time, whatever the event. The `queued` event this records then has the same dedupe key
 * as the Start/Queued webhook's, and an agent comes only from its own taken/forwarded event, so the
 * history does not depend on which delivery arrived first. The department falls back to the
 * visitor's, which is where Rocket.Chat took it from (CONTRACT-NOTES §3).
 */
export function newRoomFacts(p: RoomPayload, visitorId: string, receivedAt: Date): NewRoomFacts {
  const openedAt = p.createdAt ?? receivedAt;
  return { rocketchatRoomId: p.roomId, visitorId, openedAt, departmentId: p.departmentId ?? p.visitor.department ?? null, agent: null, queuedAt: openedAt };
}

/**
 * A time the payload itself gives for an event it does not date (a queue notice, a forward to a
 * department with nobody online): the newest message of the transcript so far, else the room's
 * creation. Redeliveries of the event carry the same transcript, so the time never depends on when
 * a copy arrived. (A forward with no message since the last agent took the room is dated before
 * that take; the Taken that follows still applies.)
 */
function transcriptTime(p: RoomPayload, receivedAt: Date): Date {
  const times = p.messages.map((m) => m.sentAt?.getTime()).filter((t): t is number => t !== undefined);
  return times.length ? new Date(Math.max(...times)) : (p.createdAt ?? receivedAt);
}

/**
 * Queued: the first notice (Start and Queued at creation, with no message yet) is dated at the
 * room's creation and shares one dedupe key; a queue after a forward to a department with nobody
 * online is dated by its transcript, so it is a fact of its own.
 */
export function queuedEvent(p: RoomPayload, receivedAt: Date): LifecycleEvent {
  return { type: 'queued', occurredAt: transcriptTime(p, receivedAt), departmentId: p.departmentId ?? p.visitor.department ?? null };
}

/** null when the event names no agent at all (nothing to apply). */
export function takenEvent(p: RoomPayload, receivedAt: Date): LifecycleEvent | null {
  const served = p.servedBy ?? p.agent;
  if (!served) return null;
  return { type: 'taken', occurredAt: served.since ?? p.createdAt ?? receivedAt, agent: agentRef(served, p), departmentId: p.departmentId ?? null };
}

export function forwardedEvent(p: RoomPayload, receivedAt: Date): LifecycleEvent {
  return {
    type: 'forwarded',
    occurredAt: p.servedBy?.since ?? transcriptTime(p, receivedAt),
    // Rocket.Chat names the previous agent (`oldServedBy`) only for a forward to an agent
    to: p.oldServedBy ? 'agent' : 'department',
    agent: p.servedBy ? agentRef(p.servedBy, p) : null,
    departmentId: p.departmentId ?? null,
    from: {
      agent: p.oldServedBy ? { id: p.oldServedBy.id, username: p.oldServedBy.username ?? null, name: p.oldServedBy.name ?? null } : null,
      departmentId: p.oldDepartmentId ?? null,
    },
  };
}

export function closedBy(p: RoomPayload): ClosedBy {
  if (p.closer === 'visitor') return 'visitor';
  if (!p.closedBy || (p.closedBy.username && SYSTEM_USERNAMES.has(p.closedBy.username))) return 'system';
  return 'agent';
}

/**
 * The close: its comment is the text of the closing message (Rocket.Chat stores it there). `agent`
 * (who served at the close) lets a close that overtakes the Taken/Forwarded events still name the
 * room's last agent, and `departmentId` its last department: a forward that arrives after the
 * close can no longer change a closed room.
 */
export function closedEvent(p: RoomPayload, receivedAt: Date): LifecycleEvent {
  const closing = p.messages.find((m) => m.closing);
  const event = {
    type: 'closed' as const,
    occurredAt: p.closedAt ?? receivedAt,
    closedBy: closedBy(p),
    closer: p.closedBy ? { id: p.closedBy.id, username: p.closedBy.username ?? null } : null,
    agent: p.servedBy ? agentRef(p.servedBy, p) : null,
    departmentId: p.departmentId ?? null,
    comment: closing?.text || null,
    tags: p.tags,
  };
  return event;
}

function attachments(m: WebhookMessage): StoredAttachment[] {
  const out: StoredAttachment[] = [];
  if (m.file) out.push(clean({ kind: 'file', id: m.file.id, name: m.file.name, type: m.file.type, size: m.file.size, url: m.file.url }));
  for (const a of m.attachments) {
    out.push(clean({ kind: 'attachment', title: a.title, url: a.url, type: a.type, size: a.size, description: a.description }));
  }
  return out;
}

function clean(a: StoredAttachment): StoredAttachment {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as unknown as StoredAttachment;
}

/**
 * A webhook message in omnigate's terms. Names come only from facts every payload carrying the
 * message repeats (`u.name`, the visitor's name), so the row does not depend on which delivery
 * inserted it first: `agent.name` describes the room's current agent, not a former one.
 */
export function inboundMessage(m: WebhookMessage, p: RoomPayload, receivedAt: Date): InboundMessage {
  const byVisitor = !m.agentId;
  return {
    rocketchatMessageId: m.id,
    authorType: m.closing ? 'system' : byVisitor ? 'visitor' : 'agent',
    authorId: m.agentId ?? m.author?.id ?? p.visitor.id ?? null,
    authorUsername: m.username ?? m.author?.username ?? null,
    authorName: m.author?.name ?? (byVisitor ? p.visitor.name ?? null : null),
    text: m.text,
    attachments: attachments(m),
    systemType: m.closing ? 'livechat-close' : null,
    sentAt: m.sentAt ?? p.closedAt ?? receivedAt,
    editedAt: m.editedAt ?? null,
  };
}
