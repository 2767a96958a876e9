import { ForbiddenException, Injectable, Logger, OnModuleDestroy, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { PgNotifications } from '../database/pg-notifications';
import { parseRoomRef } from '../rooms/room-lookup';
import { SessionClaims, VisitorSessionTokens } from './visitor-session-tokens';

/** Revocations are announced on this channel (payload `<visitor id>:<new epoch>`). */
export const SESSIONS_CHANNEL = 'omnigate_sessions';
/** Open streams also re-check their epochs this often, for a notification lost with its connection. */
const REVOCATION_SWEEP_MS = 5_000;

/**
 * What a session token must cover on a route: `room`, the route's `:id` is one of its visitor's
 * rooms; `visitor`, the route's `:token` is its visitor's token; `session`, the token itself is the
 * route's subject (refresh, sign out).
 */
export type SessionCoverage = 'room' | 'visitor' | 'session';

export interface MintedSession {
  token: string;
  claims: SessionClaims;
}

export type StreamEnd = 'expired' | 'revoked';

interface Watcher {
  epoch: number;
  end(reason: StreamEnd): void;
}

/**
 * Visitor sessions: short-lived, refreshable, revocable tokens that let a browser act for one
 * visitor without an API key. A token carries its visitor's epoch; every request checks it against
 * `visitors.session_epoch` in the same round trip as the route's coverage (the room is the
 * visitor's), and revoking adds one to the epoch. Open streams are watched: they end when their
 * token expires, and when a revocation is announced (NOTIFY, so on every instance; a periodic
 * re-check covers a notification lost with the listening connection).
 */
@Injectable()
export class VisitorSessions implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(VisitorSessions.name);
  private readonly watchers = new Map<string, Set<Watcher>>();
  private unlisten?: () => void;
  private sweep?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: VisitorSessionTokens,
    private readonly notifications: PgNotifications,
  ) {}

  onModuleInit(): void {
    this.unlisten = this.notifications.subscribe(
      {
        onNotification: (payload) => this.revoked(payload),
        onReconnected: () => void this.recheck(),
      },
      SESSIONS_CHANNEL,
    );
    this.sweep = setInterval(() => void this.recheck(), REVOCATION_SWEEP_MS);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    this.unlisten?.();
    clearInterval(this.sweep);
  }

  /** A new session for the visitor with this token: `ttlSeconds` per token, refreshable up to `maxAgeSeconds`. */
  async mint(visitorToken: string, ttlSeconds: number, maxAgeSeconds: number, now = Date.now()): Promise<MintedSession> {
    if (maxAgeSeconds < ttlSeconds) {
      throw new ValidationFailedError([{ field: 'maxAgeSeconds', errors: ['maxAgeSeconds must not be less than ttlSeconds'] }]);
    }
    const [visitor]: Array<{ id: string; session_epoch: number; erased: boolean }> = await this.dataSource.query(
      `SELECT id, session_epoch, erased_at IS NOT NULL AS erased FROM visitors WHERE token = $1`,
      [visitorToken],
    );
    if (!visitor) throw new NotFoundError(`No visitor ${visitorToken}`);
    if (visitor.erased) throw new ConflictError(`The visitor ${visitorToken} was erased`);
    const second = Math.floor(now / 1000) * 1000;
    const claims: SessionClaims = {
      visitorId: visitor.id,
      epoch: visitor.session_epoch,
      expiresAt: new Date(second + ttlSeconds * 1000),
      sessionEndsAt: new Date(second + maxAgeSeconds * 1000),
      ttlSeconds,
    };
    return { token: this.tokens.sign(claims), claims };
  }

  /** A new token for a live session (already checked by the guard): a new lifetime, never past the session's end. */
  refresh(current: SessionClaims, now = Date.now()): MintedSession {
    if (current.ttlSeconds === 0) throw new ConflictError('This token was minted as a stream token and cannot be refreshed: mint a session');
    if (current.expiresAt.getTime() >= current.sessionEndsAt.getTime()) {
      throw new ConflictError(`The session ends at ${current.sessionEndsAt.toISOString()}: mint a new one`);
    }
    const next = Math.floor(now / 1000) * 1000 + current.ttlSeconds * 1000;
    const expiresAt = new Date(Math.min(next, current.sessionEndsAt.getTime()));
    const claims = { ...current, expiresAt };
    return { token: this.tokens.sign(claims), claims };
  }

  /** Ends every session of the visitor with this token, on every instance; the new epoch. */
  async revoke(visitorToken: string): Promise<{ visitorId: string; epoch: number }> {
    const revoked = await this.bump('token', visitorToken);
    if (!revoked) throw new NotFoundError(`No visitor ${visitorToken}`);
    return revoked;
  }

  /** As `revoke`, by the visitor's omnigate id (sign-out; erasure, in the erasure's transaction). */
  async revokeVisitor(visitorId: string, em: EntityManager = this.dataSource.manager): Promise<{ visitorId: string; epoch: number }> {
    const revoked = await this.bump('id', visitorId, em);
    if (!revoked) throw new NotFoundError(`No visitor ${visitorId}`);
    return revoked;
  }

  /** One statement: the new epoch and its announcement, sent at its commit. */
  private async bump(column: 'id' | 'token', value: string, em: EntityManager = this.dataSource.manager): Promise<{ visitorId: string; epoch: number } | undefined> {
    const [row]: Array<{ id: string; session_epoch: number }> = await em.query(
      `WITH bumped AS (UPDATE visitors SET session_epoch = session_epoch + 1 WHERE ${column} = $1 RETURNING id, session_epoch)
       SELECT id, session_epoch, pg_notify('${SESSIONS_CHANNEL}', id || ':' || session_epoch) FROM bumped`,
      [value],
    );
    return row && { visitorId: row.id, epoch: row.session_epoch };
  }

  /**
   * The claims of a session token that may call a route with this coverage, checked in one round
   * trip: signature and expiry (401), the visitor's epoch (401 once revoked), what the route
   * addresses (403 when it is not the visitor's).
   */
  async authorize(token: string, coverage: SessionCoverage, params: Record<string, string | undefined>): Promise<SessionClaims> {
    const claims = this.tokens.verify(token);
    if (!claims) throw new UnauthorizedException('Invalid or expired visitor session token');
    const [sql, values] = this.coverageQuery(claims.visitorId, coverage, params);
    const [row]: Array<{ session_epoch: number; covers: boolean }> = await this.dataSource.query(sql, values);
    if (!row || row.session_epoch !== claims.epoch) throw new UnauthorizedException('This visitor session was revoked');
    if (!row.covers) {
      throw new ForbiddenException(coverage === 'room' ? `Room ${params.id} is not one of this visitor's rooms` : "This visitor session belongs to another visitor");
    }
    return claims;
  }

  /** Calls `end` once when the session's token expires or the session is revoked; the function stops watching. */
  watch(claims: SessionClaims, end: (reason: StreamEnd) => void): () => void {
    let set = this.watchers.get(claims.visitorId);
    if (!set) this.watchers.set(claims.visitorId, (set = new Set()));
    const stop = (): void => {
      clearTimeout(timer);
      if (set.delete(watcher) && !set.size) this.watchers.delete(claims.visitorId);
    };
    const watcher: Watcher = {
      epoch: claims.epoch,
      end: (reason) => {
        stop();
        end(reason);
      },
    };
    const timer = setTimeout(() => watcher.end('expired'), Math.max(0, claims.expiresAt.getTime() - Date.now()));
    set.add(watcher);
    return stop;
  }

  private coverageQuery(visitorId: string, coverage: SessionCoverage, params: Record<string, string | undefined>): [string, unknown[]] {
    if (coverage === 'visitor') return [`SELECT session_epoch, token = $2 AS covers FROM visitors WHERE id = $1`, [visitorId, params.token ?? '']];
    if (coverage === 'session') return [`SELECT session_epoch, true AS covers FROM visitors WHERE id = $1`, [visitorId]];
    const ref = parseRoomRef(params.id ?? '');
    const column = ref.id ? 'id' : 'rocketchat_room_id';
    return [
      `SELECT v.session_epoch, EXISTS (SELECT 1 FROM rooms r WHERE r.${column} = $2 AND r.visitor_id = v.id) AS covers FROM visitors v WHERE v.id = $1`,
      [visitorId, ref.id ?? ref.rocketchatId],
    ];
  }

  private revoked(payload: string): void {
    const [visitorId, epoch] = payload.split(':');
    this.endBelow(visitorId!, Number(epoch));
  }

  private endBelow(visitorId: string, epoch: number): void {
    for (const watcher of [...(this.watchers.get(visitorId) ?? [])]) if (watcher.epoch < epoch) watcher.end('revoked');
  }

  private async recheck(): Promise<void> {
    if (!this.watchers.size) return;
    try {
      const rows: Array<{ id: string; session_epoch: number }> = await this.dataSource.query(
        `SELECT id::text, session_epoch FROM visitors WHERE id = ANY($1::uuid[])`,
        [[...this.watchers.keys()]],
      );
      for (const row of rows) this.endBelow(row.id, row.session_epoch);
    } catch (error) {
      this.logger.warn(`could not re-check the open sessions: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
