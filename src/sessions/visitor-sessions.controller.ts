import { Body, Controller, Delete, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { RequireScopes, VisitorSessionOnly } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { VisitorTokenPipe } from '../common/http/visitor-token.pipe';
import {
  CreateStreamTokenDto,
  CreateVisitorSessionDto,
  RevokedSessionsDto,
  SESSION_MAX_AGE_DEFAULT,
  SESSION_TTL_DEFAULT,
  StreamTokenDto,
  VisitorSessionDto,
} from './dto/visitor-session.dto';
import { MintedSession, VisitorSessions } from './visitor-sessions';

const VISITOR_TOKEN = { name: 'token', example: 'web-7f3c2a91-visitor' };

const SESSION_ROUTES =
  "It opens only this visitor's own rooms: their streams (`GET /v1/rooms/:id/events`, `GET /v1/visitors/:token/events`), sending messages and files, " +
  'downloading their files, closing them and their survey; every other route wants an API key.';

function toDto({ token, claims }: MintedSession): VisitorSessionDto {
  return { token, expiresAt: claims.expiresAt.toISOString(), sessionEndsAt: claims.sessionEndsAt.toISOString(), visitorId: claims.visitorId };
}

@ApiTags('sessions')
@Controller('v1')
export class VisitorSessionsController {
  constructor(private readonly sessions: VisitorSessions) {}

  @Post('visitors/:token/sessions')
  @RequireScopes('chat:write')
  @ApiOperation({
    summary: 'Start a visitor session (for a browser)',
    description:
      "Your server, holding an API key, mints it and hands it to the visitor's page, which then talks to omnigate directly: no API key in the page. " +
      `${SESSION_ROUTES} Each token lives \`ttlSeconds\` (default 15 min); the page refreshes it (POST /v1/sessions/refresh) up to \`maxAgeSeconds\` (default 24 h). ` +
      'DELETE on this path revokes every session of the visitor at once, on every instance.',
  })
  @ApiParam(VISITOR_TOKEN)
  @ApiBody({ type: CreateVisitorSessionDto, required: false, examples: { session: { value: { ttlSeconds: 900, maxAgeSeconds: 28800 } } } })
  @ApiCreatedResponse({ type: VisitorSessionDto })
  @ApiErrors(400, [404, 'Unknown visitor'], [409, 'The visitor was erased'])
  async mint(@Param('token', VisitorTokenPipe) token: string, @Body() dto: CreateVisitorSessionDto): Promise<VisitorSessionDto> {
    return toDto(await this.sessions.mint(token, dto.ttlSeconds ?? SESSION_TTL_DEFAULT, dto.maxAgeSeconds ?? SESSION_MAX_AGE_DEFAULT));
  }

  @Delete('visitors/:token/sessions')
  @RequireScopes('chat:write')
  @ApiOperation({
    summary: "Revoke all of a visitor's sessions",
    description:
      "Every session token of the visitor minted so far is refused from now on, and the visitor's open streams end (on every instance, within a second; " +
      'at the latest after 5 s should an instance have missed the announcement) with a `session.ended` event `{ reason: "revoked" }`. New sessions can be minted after.',
  })
  @ApiParam(VISITOR_TOKEN)
  @ApiOkResponse({ type: RevokedSessionsDto })
  @ApiErrors(400, [404, 'Unknown visitor'])
  async revoke(@Param('token', VisitorTokenPipe) token: string): Promise<RevokedSessionsDto> {
    const { visitorId, epoch } = await this.sessions.revoke(token);
    return { visitorId, sessionEpoch: epoch };
  }

  @Post('sessions/refresh')
  @HttpCode(200)
  @VisitorSessionOnly()
  @ApiOperation({
    summary: 'Refresh a visitor session token',
    description:
      'With a live session token as the bearer: a new token of the same session, for another `ttlSeconds`, never past the session\'s end (409 once there). ' +
      'The old token stays valid until its own expiry.',
  })
  @ApiOkResponse({ type: VisitorSessionDto })
  @ApiErrors([409, 'The session has reached its end, or the token was minted as a stream token'])
  refresh(@Req() req: AuthenticatedRequest): VisitorSessionDto {
    return toDto(this.sessions.refresh(req.principal!.session!));
  }

  @Delete('sessions/current')
  @VisitorSessionOnly()
  @ApiOperation({
    summary: "Sign the visitor out (end the visitor's sessions)",
    description: "For the visitor's page, a shared kiosk for instance: as DELETE /v1/visitors/:token/sessions, with the session token as the bearer.",
  })
  @ApiOkResponse({ type: RevokedSessionsDto })
  async signOut(@Req() req: AuthenticatedRequest): Promise<RevokedSessionsDto> {
    const { visitorId, epoch } = await this.sessions.revokeVisitor(req.principal!.session!.visitorId);
    return { visitorId, sessionEpoch: epoch };
  }

  @Post('visitors/:token/stream-tokens')
  @RequireScopes('chat:write')
  @ApiOperation({
    deprecated: true,
    summary: 'Mint a visitor stream token (use POST /v1/visitors/:token/sessions)',
    description: `A visitor session of one token (default 15 min) that cannot be refreshed. ${SESSION_ROUTES}`,
  })
  @ApiParam(VISITOR_TOKEN)
  @ApiCreatedResponse({ type: StreamTokenDto })
  @ApiErrors(400, [404, 'Unknown visitor'], [409, 'The visitor was erased'])
  async mintStreamToken(@Param('token', VisitorTokenPipe) token: string, @Body() dto: CreateStreamTokenDto): Promise<StreamTokenDto> {
    const ttl = dto.ttlSeconds ?? SESSION_TTL_DEFAULT;
    const { token: streamToken, claims } = await this.sessions.mint(token, ttl, ttl);
    return { token: streamToken, expiresAt: claims.expiresAt.toISOString() };
  }
}
