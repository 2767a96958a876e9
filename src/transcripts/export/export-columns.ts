import { csvRecord, CsvValue } from '../format/csv';
import type { Row } from './server-cursor';

type Kind = 'text' | 'number' | 'time' | 'json';

export interface ExportColumn {
  /** the header, the NDJSON key and the view's column name: one vocabulary for API and SQL */
  name: string;
  kind: Kind;
  /** the view column when it differs from `name` */
  source?: string;
}

export interface ExportDefinition {
  view: 'transcript_lines' | 'room_metrics';
  /** the period applies to this column; rows come in this order (the index serving it is named in the migration) */
  timeColumn: string;
  orderBy: string;
  columns: ExportColumn[];
}

const col = (name: string, kind: Kind = 'text', source?: string): ExportColumn => ({ name, kind, source });

/** GET /v1/exports/messages: one row per message, served by messages_export_by_sent_at. */
export const MESSAGES_EXPORT: ExportDefinition = {
  view: 'transcript_lines',
  timeColumn: 'sent_at',
  orderBy: 'sent_at, seq',
  columns: [
    col('message_id'),
    col('sent_at', 'time'),
    col('room_id'),
    col('rocketchat_room_id'),
    col('rocketchat_message_id'),
    col('author_type'),
    col('author_id'),
    col('author_name', 'text', 'author_display_name'),
    col('text'),
    col('system_type'),
    col('attachments', 'json'),
    col('edited_at', 'time'),
    col('visitor_id'),
    col('visitor_token'),
    col('visitor_name'),
    col('agent_id'),
    col('agent_name'),
    col('department_id'),
    col('room_status'),
  ],
};

/** GET /v1/exports/rooms: one row per room with its metrics, served by rooms_by_opened. */
export const ROOMS_EXPORT: ExportDefinition = {
  view: 'room_metrics',
  timeColumn: 'opened_at',
  orderBy: 'opened_at, room_id',
  columns: [
    col('room_id'),
    col('rocketchat_room_id'),
    col('status'),
    col('visitor_id'),
    col('department_id'),
    col('agent_id'),
    col('agent_username'),
    col('agent_name'),
    col('tags', 'json'),
    col('opened_at', 'time'),
    col('served_at', 'time'),
    col('closed_at', 'time'),
    col('closed_by'),
    col('wait_seconds', 'number'),
    col('first_visitor_message_at', 'time'),
    col('first_agent_reply_at', 'time'),
    col('first_response_seconds', 'number'),
    col('handle_seconds', 'number'),
    col('duration_seconds', 'number'),
    col('visitor_messages', 'number'),
    col('agent_messages', 'number'),
    col('bot_messages', 'number'),
    col('system_messages', 'number'),
    col('transfers', 'number'),
  ],
};

export function exportSql(def: ExportDefinition): string {
  const list = def.columns.map((c) => (c.source ? `${c.source} AS ${c.name}` : c.name)).join(', ');
  return `SELECT ${list} FROM ${def.view} WHERE ${def.timeColumn} >= $1 AND ${def.timeColumn} < $2 ORDER BY ${def.orderBy}`;
}

function csvValue(kind: Kind, value: unknown): CsvValue {
  if (value === null || value === undefined) return null;
  if (kind === 'time') return value instanceof Date ? value.toISOString() : String(value);
  if (kind === 'json') return JSON.stringify(value);
  return value as CsvValue;
}

export function csvHeader(def: ExportDefinition): string {
  return csvRecord(def.columns.map((c) => c.name));
}

export function csvRows(def: ExportDefinition, rows: Row[]): string {
  return rows.map((r) => csvRecord(def.columns.map((c) => csvValue(c.kind, r[c.name])))).join('');
}

/** Dates become ISO-8601 UTC through Date.prototype.toJSON. */
export function ndjsonRows(def: ExportDefinition, rows: Row[]): string {
  return rows.map((r) => `${JSON.stringify(Object.fromEntries(def.columns.map((c) => [c.name, r[c.name] ?? null])))}\n`).join('');
}
