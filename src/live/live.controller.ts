import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { AllowStreamToken, RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { VisitorTokenPipe } from '../common/http/visitor-token.pipe';
import { CreateStreamTokenDto, StreamTokenDto } from './dto/stream-token.dto';
import { LiveService } from './live.service';

const STREAM_DOC =
  'Server-Sent Events: `message.created` (agent, system and visitor messages), `message.edited`, `message.delivery` (a visitor message pending → sent / failed), `room.queued`, `room.taken`, `room.forwarded`, `room.closed`. ' +
  'Each event id comes from PostgreSQL and increases; reconnect with `Last-Event-ID` (EventSource does it by itself) to receive everything missed, then the live stream. Heartbeat comments every 15 s. ' +
  'Authenticate with an API key (chat:write) or a visitor stream token (`?access_token=ogs_...`).';

@ApiTags('live')
@RequireScopes('chat:write')
@Controller('v1')
export class LiveController {
  constructor(private readonly live: LiveService) {}

  @Get('rooms/:id/events')
  @AllowStreamToken()
  @ApiOperation({ summary: "Stream a room's events (SSE)", description: STREAM_DOC })
  @ApiParam({ name: 'id', description: 'omnigate room id (uuid) or Rocket.Chat room id' })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'access_token', required: false, description: 'a visitor stream token' })
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
  @AllowStreamToken()
  @ApiOperation({ summary: "Stream all of a visitor's rooms (SSE)", description: STREAM_DOC })
  @ApiParam({ name: 'token', example: 'web-7f3c2a91-visitor' })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'access_token', required: false, description: 'a visitor stream token' })
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

  @Post('visitors/:token/stream-tokens')
  @ApiOperation({
    summary: 'Mint a visitor stream token',
    description: "A short-lived token (default 15 min) that opens only this visitor's streams, for a browser's EventSource: no API key in the page.",
  })
  @ApiParam({ name: 'token', example: 'web-7f3c2a91-visitor' })
  @ApiCreatedResponse({ type: StreamTokenDto })
  @ApiErrors(400, 404)
  mint(@Param('token', VisitorTokenPipe) token: string, @Body() dto: CreateStreamTokenDto): Promise<StreamTokenDto> {
    return this.live.mintStreamToken(token, dto.ttlSeconds ?? 900);
  }
}
