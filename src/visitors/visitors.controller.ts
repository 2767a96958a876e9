import { Body, Controller, Delete, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { VisitorTokenPipe } from '../common/http/visitor-token.pipe';
import { UpsertVisitorDto, VisitorDto, VisitorListQueryDto, VisitorPageDto } from './dto/visitor.dto';
import { VisitorsService } from './visitors.service';

@ApiTags('visitors')
@RequireScopes('chat:write')
@Controller('v1/visitors')
export class VisitorsController {
  constructor(private readonly visitors: VisitorsService) {}

  @Post()
  @ApiOperation({
    summary: 'Register or update a visitor',
    description: 'Registers the visitor in Rocket.Chat (POST livechat/visitor), then stores it. 201 when omnigate did not know the token, 200 when it updated it.',
  })
  @ApiCreatedResponse({ type: VisitorDto, description: 'Created' })
  @ApiOkResponse({ type: VisitorDto, description: 'Updated' })
  @ApiErrors(400, 422, 503)
  async upsert(@Body() dto: UpsertVisitorDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<VisitorDto> {
    const { visitor, created } = await this.visitors.upsert(dto);
    void reply.status(created ? 201 : 200);
    return visitor;
  }

  @Get()
  @ApiOperation({ summary: 'List visitors', description: 'Filters by email, phone and update time; oldest change first; cursor pagination.' })
  @ApiOkResponse({ type: VisitorPageDto })
  @ApiErrors(400)
  list(@Query() query: VisitorListQueryDto): Promise<VisitorPageDto> {
    return this.visitors.list(query);
  }

  @Get(':token')
  @ApiOperation({ summary: 'Get a visitor by token' })
  @ApiParam({ name: 'token', example: 'web-7f3c2a91-visitor' })
  @ApiOkResponse({ type: VisitorDto })
  @ApiErrors(400, 404)
  get(@Param('token', VisitorTokenPipe) token: string): Promise<VisitorDto> {
    return this.visitors.get(token);
  }

  @Delete(':token')
  @ApiOperation({
    summary: 'Erase a visitor (GDPR)',
    description:
      'Removes the visitor in Rocket.Chat (which deletes its rooms there; refused with 409 while a room is open), then erases name, email, phone, username and custom fields here. Transcripts are kept, anonymised: the visitor\'s messages keep their text but lose the author name.',
  })
  @ApiParam({ name: 'token', example: 'web-7f3c2a91-visitor' })
  @ApiOkResponse({ type: VisitorDto })
  @ApiErrors(400, 404, 409, 503)
  erase(@Param('token', VisitorTokenPipe) token: string): Promise<VisitorDto> {
    return this.visitors.erase(token);
  }
}
