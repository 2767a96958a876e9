import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'og_';

export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The part of a secret safe to show in listings and logs. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, 10);
}
