import { ValidationFailedError } from '../errors/domain-errors';

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends Record<string, string | number>>(cursor: string, shape: Record<keyof K, 'string' | 'number'>, field = 'cursor'): K {
  const invalid = () => new ValidationFailedError([{ field, errors: [`${field} is not a cursor returned by this API`] }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  for (const [k, t] of Object.entries(shape)) {
    if (typeof (parsed as Record<string, unknown>)[k] !== t) throw invalid();
  }
  return parsed as K;
}
