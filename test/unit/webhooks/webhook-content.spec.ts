import { canonicalJson, MAX_DEPTH, TooDeepError } from '../../../src/webhooks/webhook-content';

describe('canonicalJson', () => {
  it('is the same text whatever the key order, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toEqual({ text: '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}', cleaned: false });
    expect(canonicalJson({ a: 1, b: 2 }).text).toBe(canonicalJson({ b: 2, a: 1 }).text);
  });

  it('escapes like JSON.stringify', () => {
    expect(JSON.parse(canonicalJson({ 'k"': 'é\n"' }).text)).toEqual({ 'k"': 'é\n"' });
  });

  it('drops U+0000 and replaces lone surrogates, which PostgreSQL cannot store, in values and keys', () => {
    const { text, cleaned } = canonicalJson({ a: 'x\u0000y', ['k\ud800']: ['\udc00z'] });
    expect(cleaned).toBe(true);
    expect(JSON.parse(text)).toEqual({ a: 'xy', 'k\ufffd': ['\ufffdz'] });
    expect(canonicalJson({ a: '\\u0000' }).cleaned).toBe(false);
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels before walking it`, () => {
    const deep = JSON.parse('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)) as unknown;
    expect(() => canonicalJson(deep)).toThrow(TooDeepError);
  });
});
