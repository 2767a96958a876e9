import { meteorError, plainError } from './errors';
import type { JsonObject } from './types';

/**
 * Rocket.Chat validates most livechat routes with AJV (first error only, `invalid-params`) and a few
 * older ones with Meteor `check()` (`Match error: …`, no errorType). These helpers reproduce both.
 */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export interface AjvSchema {
  required: string[];
  optional?: string[];
  /** keys whose value must be an object rather than a string */
  objects?: string[];
}

/** AJV with `additionalProperties: false` and string properties. Returns the strings by name. */
export function ajv(input: unknown, schema: AjvSchema): Record<string, string | undefined> {
  const data = asObject(input) ?? {};
  for (const key of schema.required) {
    if (data[key] === undefined) throw meteorError('invalid-params', `must have required property '${key}'`);
  }
  const known = new Set([...schema.required, ...(schema.optional ?? []), ...(schema.objects ?? [])]);
  if (Object.keys(data).some((k) => !known.has(k))) throw meteorError('invalid-params', 'must NOT have additional properties');
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(data)) {
    if (schema.objects?.includes(key)) continue;
    if (value === null) continue;
    // AJV runs with coerceTypes: numbers and booleans become strings.
    if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else if (typeof value === 'string') out[key] = value;
    else throw meteorError('invalid-params', 'must be string');
  }
  return out;
}

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
