import { ForbiddenException, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/api-keys.service';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { RoomLookup } from '../rooms/room-lookup';
import { VisitorsService } from '../visitors/visitors.service';
import { StreamTokenDto } from './dto/stream-token.dto';
import { LiveHub, StreamFilter } from './live-hub';
import { SseStream } from './sse';
import { StreamTokens } from './stream-tokens';

const EVENT_ID = /^\d{1,18}$/;

@Injectable()
export class LiveService {
  constructor(
    private readonly hub: LiveHub,
    private readonly rooms: RoomLookup,
    private readonly visitors: VisitorsService,
    private readonly tokens: StreamTokens,
    private readonly config: AppConfig,
  ) {}

  async streamRoom(id: string, principal: Principal, lastEventId: string | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { room } = await this.rooms.find(id);
    this.checkVisitor(principal, room.visitorId);
    await this.stream({ roomId: room.id }, lastEventId, req, reply);
  }

  async streamVisitor(token: string, principal: Principal, lastEventId: string | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const visitor = await this.visitors.find(token);
    this.checkVisitor(principal, visitor.id);
    await this.stream({ visitorId: visitor.id }, lastEventId, req, reply);
  }

  async mintStreamToken(token: string, ttlSeconds: number): Promise<StreamTokenDto> {
    const visitor = await this.visitors.find(token);
    const { token: streamToken, expiresAt } = this.tokens.mint(visitor.id, ttlSeconds);
    return { token: streamToken, expiresAt: expiresAt.toISOString() };
  }

  /** A stream token opens only its own visitor's streams. */
  private checkVisitor(principal: Principal, visitorId: string): void {
    if (principal.visitorId !== undefined && principal.visitorId !== visitorId) {
      throw new ForbiddenException("This stream token belongs to another visitor");
    }
  }

  private async stream(filter: StreamFilter, lastEventId: string | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (lastEventId !== undefined && !EVENT_ID.test(lastEventId)) {
      throw new ValidationFailedError([{ field: 'Last-Event-ID', errors: ['Last-Event-ID must be an event id sent by this stream'] }]);
    }
    const sse = new SseStream(req, reply);
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    sse.open(this.config.live.heartbeatMs, () => {
      closed = true;
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
