import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';

const PREFIX = 'ogs_';

export interface StreamGrant {
  visitorId: string;
  expiresAt: Date;
}

/**
 * Short-lived tokens restricted to one visitor's streams, so a browser can open an EventSource
 * without holding an API key. Format: `ogs_<payload>.<HMAC-SHA256>` (base64url), signed with a key
 * kept in app_secrets (created by a migration, shared by every instance).
 */
@Injectable()
export class StreamTokens implements OnModuleInit {
  private key!: Buffer;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const [row]: Array<{ value: string }> = await this.dataSource.query(`SELECT value FROM app_secrets WHERE name = 'stream-token'`);
    if (!row) throw new Error('app_secrets has no stream-token key: run the migrations');
    this.key = Buffer.from(row.value, 'utf8');
  }

  static looksLikeStreamToken(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  mint(visitorId: string, ttlSeconds: number, now = Date.now()): { token: string; expiresAt: Date } {
    const expiresAt = new Date(Math.floor(now / 1000) * 1000 + ttlSeconds * 1000);
    const payload = Buffer.from(JSON.stringify({ v: visitorId, e: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
    return { token: `${PREFIX}${payload}.${this.sign(payload)}`, expiresAt };
  }

  /** The grant of a valid, unexpired token, else null. */
  verify(token: string, now = Date.now()): StreamGrant | null {
    if (!token.startsWith(PREFIX)) return null;
    const [payload, signature, extra] = token.slice(PREFIX.length).split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const { v, e } = (claims ?? {}) as { v?: unknown; e?: unknown };
    if (typeof v !== 'string' || typeof e !== 'number' || e * 1000 <= now) return null;
    return { visitorId: v, expiresAt: new Date(e * 1000) };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
