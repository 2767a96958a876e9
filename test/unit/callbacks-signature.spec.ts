import { createHmac } from 'node:crypto';
import { signCallback } from '../../src/callbacks/callback-signature';
import { verifyOmnigateSignature } from '../../src/callbacks/verify-signature.example';

describe('callback signature', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const expected = createHmac('sha256', 'k'.repeat(16)).update('1700000000.{"a":1}').digest('hex');
    expect(signCallback('k'.repeat(16), 1700000000, '{"a":1}')).toBe(`t=1700000000,v1=${expected}`);
  });

  it('round-trips through the receiver snippet', () => {
    const t = Math.floor(Date.now() / 1000);
    expect(verifyOmnigateSignature('s'.repeat(20), signCallback('s'.repeat(20), t, 'é body'), 'é body')).toBe(true);
    expect(verifyOmnigateSignature('s'.repeat(20), signCallback('s'.repeat(20), t, 'é body'), 'e body')).toBe(false);
  });
});
