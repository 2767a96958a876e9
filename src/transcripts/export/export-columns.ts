import type { OpenPeriod } from '../dto/period';
import { csvRecord } from '../format/csv';

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
    col('department_name'),
    col('room_status'),
    // set when the visitor deleted the message (the text is kept for audit)
    col('deleted_at', 'time'),
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
    col('department_name'),
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

/** A period bound as an SQL literal (COPY takes no parameters); from a valid Date only. */
function timestampLiteral(d: Date): string {
  const iso = d.toISOString(); // throws on an invalid date
  if (!/^[-+\d]+-\d\d-\d\dT[\d:.]+Z$/.test(iso)) throw new Error(`not a timestamp: ${iso}`);
  return `'${iso}'::timestamptz`;
}

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * One column as exported: times as ISO-8601 UTC with milliseconds (what Date.toISOString gives);
 * for CSV, text columns turn '' into NULL (both are an empty field) and JSON columns into their text.
 */
function columnSql(c: ExportColumn, format: 'csv' | 'ndjson'): string {
  const source = c.source ?? c.name;
  let expr = source;
  if (c.kind === 'time') expr = `to_char(${source} AT TIME ZONE 'UTC', ${ISO_UTC})`;
  else if (c.kind === 'json') expr = format === 'csv' ? `to_json(${source})::text` : source;
  else if (c.kind === 'text' && format === 'csv') expr = `NULLIF(${source}::text, '')`;
  return expr === c.name ? expr : `${expr} AS ${c.name}`;
}

/**
 * The export's query for a period (a bound left out: no limit on that side): its rows in order,
 * served by the index named in the migration. The order names the view's columns, not the output's:
 * `sent_at` alone would sort by the formatted text of that name, all rows before the first is sent.
 */
export function exportSelect(def: ExportDefinition, format: 'csv' | 'ndjson', period: OpenPeriod): string {
  const where = [
    ...(period.from ? [`${def.timeColumn} >= ${timestampLiteral(period.from)}`] : []),
    ...(period.to ? [`${def.timeColumn} < ${timestampLiteral(period.to)}`] : []),
  ];
  return `SELECT ${def.columns.map((c) => columnSql(c, format)).join(', ')}
            FROM ${def.view}
           ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY ${def.orderBy
             .split(',')
             .map((c) => `${def.view}.${c.trim()}`)
             .join(', ')}`;
}

/**
 * The COPY statement of an export. CSV: PostgreSQL quotes as RFC 4180 does (a field with a comma,
 * a quote, CR or LF), NULL is an empty field; records end with LF (CrlfRecords makes them CRLF).
 * NDJSON: one row_to_json object per line, keys in column order; written through CSV mode with
 * quote and delimiter characters JSON text never holds raw (it escapes control characters), so
 * PostgreSQL neither quotes nor escapes anything in it.
 */
export function exportCopySql(def: ExportDefinition, format: 'csv' | 'ndjson', period: OpenPeriod): string {
  const select = exportSelect(def, format, period);
  return format === 'csv'
    ? `COPY (${select}) TO STDOUT WITH (FORMAT csv)`
    : `COPY (SELECT row_to_json(e) FROM (${select}) e) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`;
}

export function csvHeader(def: ExportDefinition): string {
  return csvRecord(def.columns.map((c) => c.name));
}
