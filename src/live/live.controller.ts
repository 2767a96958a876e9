import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { AllowVisitorSession, RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { VisitorTokenPipe } from '../common/http/visitor-token.pipe';
import { LiveService } from './live.service';

const STREAM_DOC =
  'Server-Sent Events: `message.created` (agent, system and visitor messages), `message.edited`, `message.delivery` (a visitor message pending → sent / failed), `room.queued`, `room.taken`, `room.forwarded`, `room.closed`. ' +
  'Each event id comes from PostgreSQL and increases; reconnect with `Last-Event-ID` (EventSource does it by itself) to receive everything missed, then the live stream. Heartbeat comments every 15 s. ' +
  'Authenticate with an API key (chat:write) or a visitor session token (`?access_token=ogs_...`, for an EventSource). A session\'s stream ends when its token expires ' +
  '(`session.ended` `{ "reason": "expired" }`: refresh the token and open the stream again with `lastEventId`) or when the session is revoked (`{ "reason": "revoked" }`).';

@ApiTags('live')
@RequireScopes('chat:write')
@Controller('v1')
export class LiveController {
  constructor(private readonly live: LiveService) {}

  @Get('rooms/:id/events')
  @AllowVisitorSession('room')
  @ApiOperation({ summary: "Stream a room's events (SSE)", description: STREAM_DOC })
  @ApiParam({ name: 'id', description: 'omnigate room id (uuid) or Rocket.Chat room id' })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'access_token', required: false, description: 'a visitor session token' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiErrors(400, 404)
  async roomEvents(
    @Param('id') id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.live.streamRoom(id, req.principal!, lastEventId ?? lastEventIdQuery, req, reply);
  }

  @Get('visitors/:token/events')
  @AllowVisitorSession('visitor')
  @ApiOperation({ summary: "Stream all of a visitor's rooms (SSE)", description: STREAM_DOC })
  @ApiParam({ name: 'token', example: 'web-7f3c2a91-visitor' })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'access_token', required: false, description: 'a visitor session token' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiErrors(400, 404)
  async visitorEvents(
    @Param('token', VisitorTokenPipe) token: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.live.streamVisitor(token, req.principal!, lastEventId ?? lastEventIdQuery, req, reply);
  }
}
