import { TranscriptDepartmentDto, TranscriptDto, TranscriptEventDto, TranscriptFormat, TranscriptMessageDto } from '../dto/transcript.dto';
import { csvRecord } from './csv';

export type TimelineEntry = { at: string; kind: 'event'; event: TranscriptEventDto } | { at: string; kind: 'message'; message: TranscriptMessageDto };

/**
 * At the same instant, a room starts / is queued / is taken before the message that came with it,
 * and closes after its closing message (Rocket.Chat stamps both with one time).
 */
const RANK: Record<string, number> = { started: 0, queued: 1, taken: 2, forwarded: 3, message: 4, closed: 6 };
const rank = (e: TimelineEntry): number => (e.kind === 'message' ? RANK.message : RANK[e.event.type] ?? 5);

/** Events and messages merged in time order; each list keeps its own order on ties. */
export function timeline(t: TranscriptDto): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...t.events.map((event): TimelineEntry => ({ at: event.occurredAt, kind: 'event', event })),
    ...t.messages.map((message): TimelineEntry => ({ at: message.sentAt, kind: 'message', message })),
  ];
  // Array.prototype.sort is stable; ISO-8601 UTC strings of one length sort as times
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : rank(a) - rank(b)));
}

function agentLabel(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const a = value as { id?: unknown; username?: unknown; name?: unknown };
  const label = [a.name, a.username, a.id].find((x) => typeof x === 'string' && x.length > 0);
  return typeof label === 'string' ? label : null;
}

function field(data: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = data[key];
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

/** A department as prose names it: `Sales (dep-sales)`, or the id alone when its name is unknown. */
export type DepartmentLabel = (id: unknown) => string;

export function departmentLabels(departments: TranscriptDepartmentDto[]): DepartmentLabel {
  const names = new Map(departments.map((d) => [d.id, d.name]));
  return (id) => {
    const name = names.get(String(id));
    return name ? `${name} (${String(id)})` : String(id);
  };
}

/** One line of prose for a lifecycle event, as shown in brackets in txt and in the csv text column. */
export function describeEvent(e: TranscriptEventDto, department: DepartmentLabel = String): string {
  const d = e.data;
  switch (e.type) {
    case 'started':
      return d.departmentId ? `conversation started in department ${department(d.departmentId)}` : 'conversation started';
    case 'queued':
      return d.departmentId ? `queued for department ${department(d.departmentId)}` : 'queued';
    case 'taken':
      return `taken by ${agentLabel(d.agent) ?? 'an agent'}`;
    case 'forwarded': {
      const [from, to] = [field(d, 'from'), field(d, 'to')];
      const parts = ['forwarded'];
      const [fromAgent, toAgent] = [agentLabel(from.agent), agentLabel(to.agent)];
      if (fromAgent) parts.push(`from ${fromAgent}`);
      parts.push(toAgent ? `to ${toAgent}` : 'to the queue');
      if (to.departmentId && to.departmentId !== from.departmentId) parts.push(`in department ${department(to.departmentId)}`);
      return parts.join(' ');
    }
    case 'closed': {
      const closer = agentLabel(d.closer);
      const by = typeof d.closedBy === 'string' ? d.closedBy : 'unknown';
      const comment = typeof d.comment === 'string' && d.comment ? `: ${d.comment}` : '';
      return `closed by ${by}${closer && by === 'agent' ? ` ${closer}` : ''}${comment}`;
    }
    case 'edited':
      return Array.isArray(d.tags) ? `room edited: tags ${d.tags.join(', ')}` : 'room edited';
    default:
      return e.type.replace(/_/g, ' ');
  }
}

/** `2026-11-24 12:00:05Z`: readable, still unambiguous UTC. */
export function txtTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')}Z`;
}

function messageBody(m: TranscriptMessageDto): string {
  if (m.deletedAt) return '[message deleted]';
  const files = m.attachments.map((a) => ` [attachment: ${String(a.title ?? a.name ?? a.url ?? 'file')}]`).join('');
  return `${m.text}${files}${m.editedAt ? ' (edited)' : ''}`;
}

// continuation lines are indented so every line starting with "[" opens an entry
const indent = (s: string): string => s.replace(/\r?\n/g, '\n    ');

const CLOSING_MESSAGE = 'livechat-close';

/**
 * Rocket.Chat stores the close comment as the text of the closing message (`livechat-close`), and
 * omnigate records it on the closed event too: the txt prints it once, on the event's line. A
 * closing message saying something the close events do not (or with no close event) is kept.
 */
function restatesClose(m: TranscriptMessageDto, t: TranscriptDto): boolean {
  if (m.systemType !== CLOSING_MESSAGE) return false;
  const comments = t.events.filter((e) => e.type === 'closed').map((e) => (typeof e.data.comment === 'string' ? e.data.comment : ''));
  return comments.length > 0 && (!m.text || comments.includes(m.text));
}

export function toTxt(t: TranscriptDto): string {
  const visitor = t.visitor.name ?? (t.visitor.erasedAt ? '(erased)' : 'Visitor');
  const department = departmentLabels(t.departments);
  const head = [
    `Transcript of room ${t.room.rocketchatRoomId} (${t.room.id})`,
    `Visitor: ${visitor} (${t.visitor.token})`,
    `Department: ${t.room.departmentId ? department(t.room.departmentId) : '-'}`,
    `Agents: ${t.agents.map((a) => a.name ?? a.username ?? a.id).join(', ') || '-'}`,
    `Status: ${t.room.status}${t.room.closedBy ? ` (closed by ${t.room.closedBy})` : ''}${t.room.tags.length ? `, tags: ${t.room.tags.join(', ')}` : ''}`,
    '',
  ];
  const entries = timeline(t).filter((e) => e.kind === 'event' || !restatesClose(e.message, t));
  const lines = entries.map((e) => {
    const time = `[${txtTime(e.at)}]`;
    if (e.kind === 'event') return `${time} [${indent(describeEvent(e.event, department))}]`;
    const m = e.message;
    if (m.authorType === 'system') return `${time} [${indent(m.text || m.systemType || 'system message')}]`;
    return `${time} ${m.authorName}: ${indent(messageBody(m))}`;
  });
  return `${[...head, ...lines].join('\n')}\n`;
}

export const TRANSCRIPT_CSV_HEADER = ['time', 'kind', 'type', 'author_type', 'author_name', 'text', 'message_id'];

export function toCsv(t: TranscriptDto): string {
  const department = departmentLabels(t.departments);
  const rows = timeline(t).map((e) =>
    e.kind === 'event'
      ? csvRecord([e.at, 'event', e.event.type, null, null, describeEvent(e.event, department), null])
      : csvRecord([e.at, 'message', e.message.systemType, e.message.authorType, e.message.authorName, messageBody(e.message), e.message.id]),
  );
  return csvRecord(TRANSCRIPT_CSV_HEADER) + rows.join('');
}

/** A header line describing the room, then one line per event or message in time order. */
export function toNdjson(t: TranscriptDto): string {
  const head = JSON.stringify({ kind: 'transcript', room: t.room, visitor: t.visitor, agents: t.agents, department: t.department, departments: t.departments });
  const lines = timeline(t).map((e) => JSON.stringify(e.kind === 'event' ? { kind: 'event', ...e.event } : { kind: 'message', ...e.message }));
  return `${[head, ...lines].join('\n')}\n`;
}

export function renderTranscript(t: TranscriptDto, format: Exclude<TranscriptFormat, 'json'>): string {
  switch (format) {
    case 'txt':
      return toTxt(t);
    case 'csv':
      return toCsv(t);
    case 'ndjson':
      return toNdjson(t);
  }
}
