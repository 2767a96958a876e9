import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';

const PREFIX = 'ogs_';

/** What a visitor session token says, once its signature is checked. */
export interface SessionClaims {
  visitorId: string;
  /** the visitor's session epoch when it was minted: revoking adds one */
  epoch: number;
  /** this token's end */
  expiresAt: Date;
  /** the session's end: a refresh never goes past it */
  sessionEndsAt: Date;
  /** the lifetime a refresh gives, in seconds */
  ttlSeconds: number;
}

interface Payload {
  v: string;
  e: number;
  n?: number;
  m?: number;
  t?: number;
}

/**
 * Signs and reads visitor session tokens: `ogs_<payload>.<HMAC-SHA256>` (base64url), with a key kept
 * in app_secrets (created by a migration, shared by every instance). The signature and expiry are
 * checked here, without the database; the epoch against the visitor's is VisitorSessions' part.
 * Tokens minted before sessions existed (visitor stream tokens) carry only `v` and `e`: epoch 0,
 * not refreshable past their expiry.
 */
@Injectable()
export class VisitorSessionTokens implements OnModuleInit {
  private key!: Buffer;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const [row]: Array<{ value: string }> = await this.dataSource.query(`SELECT value FROM app_secrets WHERE name = 'stream-token'`);
    if (!row) throw new Error('app_secrets has no stream-token key: run the migrations');
    this.key = Buffer.from(row.value, 'utf8');
  }

  static looksLikeSessionToken(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** A token for `claims` (times are kept to the second). */
  sign(claims: SessionClaims): string {
    const payload: Payload = {
      v: claims.visitorId,
      e: Math.floor(claims.expiresAt.getTime() / 1000),
      n: claims.epoch,
      m: Math.floor(claims.sessionEndsAt.getTime() / 1000),
      t: claims.ttlSeconds,
    };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${PREFIX}${encoded}.${this.mac(encoded)}`;
  }

  /** The claims of a well-signed, unexpired token, else null. */
  verify(token: string, now = Date.now()): SessionClaims | null {
    if (!token.startsWith(PREFIX)) return null;
    const [encoded, signature, extra] = token.slice(PREFIX.length).split('.');
    if (!encoded || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(encoded));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let payload: Partial<Payload>;
    try {
      payload = (JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) ?? {}) as Partial<Payload>;
    } catch {
      return null;
    }
    const { v, e, n = 0, m = e, t } = payload;
    if (typeof v !== 'string' || !isSeconds(e) || !isSeconds(m) || !Number.isInteger(n) || n < 0 || e * 1000 <= now) return null;
    const ttlSeconds = isSeconds(t) ? t : 0;
    return { visitorId: v, epoch: n, expiresAt: new Date(e * 1000), sessionEndsAt: new Date(m * 1000), ttlSeconds };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
