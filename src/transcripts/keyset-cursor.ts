import { UUID_PATTERN } from '../common/http/validators';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';

/**
 * Keyset cursors on (a timestamptz, a uuid). The time travels with microseconds, as PostgreSQL
 * stores it: a millisecond JavaScript Date would make the keyset skip or repeat rows.
 */
export const CURSOR_TIME_SQL = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export interface TimeKey {
  t: string;
  id: string;
}

export const encodeTimeCursor = (key: TimeKey): string => encodeCursor({ t: key.t, id: key.id });

/** A cursor this API returned, or a 400 (never a database error from a forged one). */
export function decodeTimeCursor(cursor: string): TimeKey {
  const key = decodeCursor<{ t: string; id: string }>(cursor, { t: 'string', id: 'string' });
  if (!CURSOR_TIME.test(key.t) || !UUID_PATTERN.test(key.id)) {
    throw new ValidationFailedError([{ field: 'cursor', errors: ['cursor is not a cursor returned by this API'] }]);
  }
  return key;
}
