import { plainError } from './errors';
import type { JsonObject } from './types';

/**
 * Helpers for the routes Rocket.Chat checks with Meteor `check()` (`Match error: …`, no errorType).
 * The ajv-validated routes use Rocket.Chat's own validators (request-validation.ts).
 */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A validated string field (ajv has already refused other types), or undefined. */
export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Meteor `check(value, String)` on a field of an object. */
export function checkString(data: JsonObject, key: string, field: string | undefined, required: boolean): string | undefined {
  const value = data[key];
  const where = field ? ` in field ${field}.${key}` : ` in field ${key}`;
  if (value === undefined || value === null) {
    if (!required) return undefined;
    throw plainError(field ? `Match error: Missing key '${key}' in field ${field}` : `Match error: Missing key '${key}'`);
  }
  if (typeof value !== 'string') throw plainError(`Match error: Expected string, got ${typeof value}${where}`);
  return value;
}

export function queryObject(query: URLSearchParams): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of query) out[k] = v;
  return out;
}
