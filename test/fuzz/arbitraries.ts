import fc from 'fast-check';

/**
 * Generators of hostile input. JSON is generated as TEXT (not through JSON.stringify of an
 * object) so that own `__proto__` keys, duplicate keys and escaped lone surrogates reach the
 * server exactly as an attacker would write them.
 */

/** Keys a prototype-pollution attempt uses, plus look-alikes that must be treated as plain keys. */
export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf'] as const;

export const SQL_INJECTIONS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  "'); DROP TABLE messages; --",
  "'; DROP TABLE rooms CASCADE; --",
  "%' UNION SELECT id, token, name FROM visitors --",
  "x' UNION SELECT NULL, version() --",
  '\\',
  "\\'",
  "\\' OR 1=1 --",
  '$$',
  '$$; DROP TABLE visitors; $$',
  '$1',
  '%',
  '_',
  '%%',
  "'",
  '"',
  '`',
  ';',
  '--',
  '/*',
  "1; SELECT pg_sleep(5) --",
  "'||(SELECT current_user)||'",
  'a:* & b:*',
  '!!!',
  '& | ! ( ) : *',
  "'\\x00'",
  'E\'\\x27\'',
] as const;

const UNICODE_SAMPLES = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uDC00y',
  '\uD83D\uDE00',
  '\uFEFF',
  '\u202E',
  '\u200B',
  '\u2028\u2029',
  'Ω≈ç√∫',
  '日本語テキスト',
  'مرحبا',
  'e\u0301',
  '\r\n',
  '\t',
  '\u001b[31m',
  '\u007f',
  '\uFFFF',
  '\uFFFE',
] as const;

export const BOUNDARY_LENGTHS = [0, 1, 2, 3, 63, 64, 65, 99, 100, 101, 199, 200, 201, 254, 255, 256, 319, 320, 321, 499, 500, 501, 999, 1000, 1001, 1999, 2000, 2001, 4999, 5000, 5001, 10001] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));

/** One hostile unit of text. */
const nastyUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE_SAMPLES) },
  { weight: 1, arbitrary: fc.constantFrom(...SQL_INJECTIONS) },
  { weight: 1, arbitrary: fc.constantFrom(...POLLUTION_KEYS) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: controlChar },
);

/** Strings of hostile units, plus exact boundary lengths of the DTOs' limits (ASCII and multi-byte). */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(nastyUnit, { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...BOUNDARY_LENGTHS), fc.constantFrom('x', 'é', '\u{1F600}', '0')).map(([n, c]) => c.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'A'.repeat(n)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
);

/** A JSON value as a tree, serialised by `toJsonText`. Objects are entry lists: keys may repeat. */
export type JsonTree = null | boolean | number | string | { arr: JsonTree[] } | { obj: Array<[string, JsonTree]> };

export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...POLLUTION_KEYS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: nastyString },
);

const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 1, 0.5, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 100, 101, 500, 501),
);

export const jsonTree: fc.Arbitrary<JsonTree> = fc.letrec<{ value: JsonTree }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    nastyNumber,
    nastyString,
    fc.array(tie('value'), { maxLength: 4 }).map((arr) => ({ arr })),
    fc.array(fc.tuple(nastyKey, tie('value')), { maxLength: 4 }).map((obj) => ({ obj })),
  ),
})).value;

export function toJsonText(t: JsonTree): string {
  if (t === null || typeof t !== 'object') return JSON.stringify(t);
  if ('arr' in t) return `[${t.arr.map(toJsonText).join(',')}]`;
  return `{${t.obj.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
}

/** Arrays or objects nested thousands deep, within the 1 MiB body limit. */
export const deepNesting: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.integer({ min: 100, max: 3_000 }), fc.integer({ min: 3_000, max: 100_000 })), fc.constantFrom('array', 'object', 'mixed'))
  .map(([depth, kind]) => {
    if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth);
    if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    return '{"a":['.repeat(depth) + '1' + ']}'.repeat(depth);
  });

/** Texts that are not JSON, or not quite. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '{', '}', '{"a":1', '{"a":1,}', "{'a':1}", '{a:1}', '[1,2', 'undefined', 'NaN', '{"a":NaN}', '{"a":Infinity}', '{"a":01}', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":1}{"b":2}', '\uFEFF{}', '\u0000', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}', '{"a":{"__proto__":{"x":1}}}'),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Raw bytes that are not valid UTF-8 inside an otherwise plausible JSON object. */
export const invalidUtf8Body: fc.Arbitrary<Buffer> = fc
  .tuple(fc.constantFrom('text', 'name', 'token', 'type', 'visitorToken', 'message'), fc.uint8Array({ minLength: 1, maxLength: 8 }))
  .map(([key, bytes]) => Buffer.concat([Buffer.from(`{"${key}":"`), Buffer.from([0xff, 0xfe, ...bytes, 0xc0, 0x80]), Buffer.from('"}')]));

/** Content types a JSON route must refuse or handle (415/400, never 5xx). */
export const contentType: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/JSON',
    'application/json;;',
    'text/plain',
    'text/html',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'multipart/form-data; boundary=xyz',
    'application/octet-stream',
    'application/vnd.api+json',
    '*/*',
    'application/',
    '/json',
    ';',
    'application/json; boundary=' + 'x'.repeat(300),
  ),
  headerValueOf(60),
);

/** Values Node's HTTP client will put in a header (tab, printable ASCII and Latin-1). */
export function headerValueOf(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((c) => String.fromCharCode(c)), maxLength });
}

/** Authorization header forms; `null` = no header. `valid` is the admin key's header value. */
export function authorization(valid: string, others: string[]): fc.Arbitrary<string | null> {
  const secret = valid.replace(/^Bearer /, '');
  return fc.oneof(
    fc.constant(null),
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      `bearer ${secret}`,
      `BEARER  ${secret}  `,
      `Bearer ${secret} extra`,
      `Bearer ${secret}x`,
      `Bearer ${secret.slice(0, -1)}`,
      `Basic ${Buffer.from(`admin:${secret}`).toString('base64')}`,
      `Token ${secret}`,
      secret,
      `Bearer ${'x'.repeat(512)}`,
      `Bearer ${'x'.repeat(513)}`,
      `Bearer ${'x'.repeat(8000)}`,
      "Bearer ' OR 1=1 --",
      'Bearer og_\u00e9\u00e9\u00e9',
      // visitor session tokens: forged, truncated, not base64, not JSON
      'Bearer ogs_',
      'Bearer ogs_.',
      'Bearer ogs_e30.e30',
      `Bearer ogs_${Buffer.from('{"v":"x","e":9999999999}').toString('base64url')}.AAAA`,
      'Bearer ogs_%%%.###',
      `Bearer ogs_${'a'.repeat(500)}`,
      ...others,
    ),
    headerValueOf(80).map((v) => `Bearer ${v}`),
    headerValueOf(60).map((v) => `Bearer ogs_${v}`),
    headerValueOf(80),
  );
}

export const idempotencyKey: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom('', ' ', 'a', 'k'.repeat(255), 'k'.repeat(256), 'key with space', '\u00e9t\u00e9', "' OR 1=1 --", '\t', 'x'.repeat(4000)),
  headerValueOf(40),
);

/** A path segment: random text percent-encoded, or raw sequences a router must survive. */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  nastyString.filter((s) => s.length < 3000).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))),
  fc.constantFrom('%00', '%2F', '..', '.', '%2e%2e', '%252e', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-4000-8000-000000000000', 'x'.repeat(201), 'x'.repeat(5000), encodeURIComponent("' OR 1=1 --")),
  fc.uuid().map((u) => u),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
);

/**
 * Percent signs that decode to nothing: the router must still answer in the error shape.
 * Kept apart from `pathSegment` so that this one known failure does not hide the others.
 */
export const malformedPercent: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%%', '%g0', 'a%', '%2', '%C0%80', '%FF', '%ED%A0%80'),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9-]{0,8}$/), fc.constantFrom('%', '%z', '%E0%A4')).map(([a, b]) => a + b),
);

/** A query string: known parameters with hostile values, unknown keys, repeats, brackets. */
export function queryString(knownKeys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: knownKeys.length ? 4 : 0, arbitrary: knownKeys.length ? fc.constantFrom(...knownKeys) : fc.constant('x') },
    { weight: 1, arbitrary: fc.constantFrom(...POLLUTION_KEYS, '__proto__[x]', 'constructor[prototype][x]', `${knownKeys[0] ?? 'a'}[]`, `${knownKeys[0] ?? 'a'}[0]`, '') },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  const value = fc.oneof(
    nastyString.filter((s) => s.length < 5000),
    fc.constantFrom(...SQL_INJECTIONS),
    fc.constantFrom('1', '0', '-1', '100', '101', '500', '501', '1.5', '1e3', 'NaN', 'Infinity', '', 'true', 'null', '2026-11-24', '2026-11-24T12:00:00Z', '2026-02-30', '9999-12-31T23:59:59Z', '0000-01-01', '2026-11-24T12:00:00', 'open', 'closed', 'queued', 'csv', 'json'),
  );
  const enc = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(key, value).map(([k, v]) => `${enc(k)}=${enc(v)}`) },
    { weight: 1, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}=${v}`.replace(/[#\s]/g, '')) },
    { weight: 1, arbitrary: fc.constantFrom('=', '&', '=x', 'a', '%', '%zz=1', 'a=%E0%A4%A') },
  );
  return fc.array(pair, { maxLength: 5 }).map((pairs) => pairs.join('&'));
}

/** Replaces, removes or adds one field of a valid body: the edges of each DTO, one at a time. */
export function mutatedBody(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.constantFrom('replace', 'delete', 'add'), fc.nat(), nastyKey, jsonTree), { minLength: 1, maxLength: 3 }))
    .map(([body, edits]) => {
      const entries: Array<[string, JsonTree | { raw: string }]> = Object.entries(body).map(([k, v]) => [k, { raw: JSON.stringify(v) }]);
      for (const [op, at, key, value] of edits) {
        const i = entries.length ? at % entries.length : 0;
        if (op === 'replace' && entries.length) entries[i] = [entries[i]![0], value];
        else if (op === 'delete' && entries.length) entries.splice(i, 1);
        else entries.push([key, value]);
      }
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v !== null && typeof v === 'object' && 'raw' in v ? v.raw : toJsonText(v)}`).join(',')}}`;
    });
}

/** Any body a JSON route may receive: valid, one field off, random JSON, malformed (deep nesting has its own property). */
export function jsonBody(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    { weight: 2, arbitrary: valid.map((b) => JSON.stringify(b)) },
    { weight: 6, arbitrary: mutatedBody(valid) },
    { weight: 3, arbitrary: jsonTree.map(toJsonText) },
    { weight: 1, arbitrary: malformedJson },
    { weight: 1, arbitrary: invalidUtf8Body },
  );
}
