import { createHash } from 'node:crypto';

/** Deeper than any real event (about 5 levels): a deeper body is refused before it costs anything. */
export const MAX_DEPTH = 32;

export class TooDeepError extends Error {
  override readonly name = 'TooDeepError';

  constructor() {
    super(`body nests deeper than ${MAX_DEPTH} levels`);
  }
}

export interface CanonicalBody {
  /** JSON with sorted keys: the stored payload, and the source of the dedupe key */
  text: string;
  /** true when a string had to be cleaned (the handlers must read `text`, not the raw body) */
  cleaned: boolean;
}

/**
 * PostgreSQL text and jsonb can hold neither U+0000 nor a lone surrogate (JSON.parse lets both
 * through): such a body would fail on insert, answer 5xx and be retried in vain. NUL is dropped,
 * a lone surrogate becomes U+FFFD.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '');
}

function clean(s: string, state: { cleaned: boolean }): string {
  const out = cleanText(s);
  if (out !== s) state.cleaned = true;
  return out;
}

/** Object keys sorted at every level: equal content, equal text, whatever the key order. */
export function canonicalJson(value: unknown): CanonicalBody {
  const state = { cleaned: false };
  const text = write(value, 0, state);
  return { text, cleaned: state.cleaned };
}

function write(value: unknown, depth: number, state: { cleaned: boolean }): string {
  if (typeof value === 'string') return JSON.stringify(clean(value, state));
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_DEPTH) throw new TooDeepError();
  if (Array.isArray(value)) return `[${value.map((v) => write(v, depth + 1, state)).join(',')}]`;
  const o = value as Record<string, unknown>;
  const entries = Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(clean(k, state))}:${write(o[k], depth + 1, state)}`);
  return `{${entries.join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
