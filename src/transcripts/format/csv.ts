export type CsvValue = string | number | boolean | null | undefined;

/**
 * RFC 4180: a field holding a comma, a double quote, CR or LF is quoted and its quotes doubled;
 * records end with CRLF. Values are not altered (no formula escaping): exports feed analysis tools,
 * and a changed text would no longer match the database.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** ISO-8601 UTC with milliseconds, or empty. */
export function isoTime(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}
