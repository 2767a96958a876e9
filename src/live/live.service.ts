import { Injectable, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/api-keys.service';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { RoomLookup } from '../rooms/room-lookup';
import { VisitorsService } from '../visitors/visitors.service';
import { LiveHub, StreamFilter } from './live-hub';
import { SseStream } from './sse';
import { VisitorSessions } from '../sessions/visitor-sessions';

const EVENT_ID = /^\d{1,18}$/;

@Injectable()
export class LiveService implements OnModuleDestroy {
  /** open streams, ended at shutdown: their clients reconnect (to another instance) and resume */
  private readonly open = new Set<SseStream>();
  private closing = false;

  constructor(
    private readonly hub: LiveHub,
    private readonly rooms: RoomLookup,
    private readonly visitors: VisitorsService,
    private readonly sessions: VisitorSessions,
    private readonly config: AppConfig,
  ) {}

  async streamRoom(id: string, principal: Principal, lastEventId: string | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { room } = await this.rooms.find(id);
    await this.stream({ roomId: room.id }, principal, lastEventId, req, reply);
  }

  async streamVisitor(token: string, principal: Principal, lastEventId: string | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const visitor = await this.visitors.find(token);
    await this.stream({ visitorId: visitor.id }, principal, lastEventId, req, reply);
  }

  /** Shutdown waits for open connections: end the streams first (they are never idle). */
  onModuleDestroy(): void {
    this.closing = true;
    for (const sse of this.open) sse.end();
  }

  /** The guard has checked that a visitor session covers the stream; it is watched, to end with the session. */
  private async stream(filter: StreamFilter, principal: Principal, lastEventId: string | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (lastEventId !== undefined && !EVENT_ID.test(lastEventId)) {
      throw new ValidationFailedError([{ field: 'Last-Event-ID', errors: ['Last-Event-ID must be an event id sent by this stream'] }]);
    }
    if (this.closing) throw new ServiceUnavailableException('The gateway is shutting down: reconnect');
    const sse = new SseStream(req, reply);
    this.open.add(sse);
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    const unwatch = principal.session
      ? this.sessions.watch(principal.session, (reason) => {
          sse.notice('session.ended', { reason });
          sse.end();
          closed = true;
          unsubscribe?.();
        })
      : undefined;
    sse.open(this.config.live.heartbeatMs, () => {
      closed = true;
      this.open.delete(sse);
      unwatch?.();
      unsubscribe?.();
    });
    try {
      unsubscribe = await this.hub.subscribe(filter, lastEventId, (event) => sse.send(event));
      if (closed) unsubscribe();
    } catch {
      sse.end();
    }
  }
}
