import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowVisitorSession, RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CloseRoomDto, OpenRoomDto, RoomDto, RoomListQueryDto, RoomPageDto, TransferRoomDto } from './dto/room.dto';
import { SubmitSurveyDto, SurveyDto } from './dto/survey.dto';
import { RoomSurveys } from './room-surveys';
import { RoomsService } from './rooms.service';

const ROOM_ID = { name: 'id', description: 'omnigate room id (uuid) or Rocket.Chat room id', example: '9kRtHqYwXcPm3aZbE' };

@ApiTags('rooms')
@RequireScopes('chat:write')
@Controller('v1/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly surveys: RoomSurveys,
  ) {}

  @Post()
  @ApiOperation({
    summary: "Open a room (or get the visitor's open room)",
    description:
      'A visitor has at most one open room. 200 with it when there is one, else Rocket.Chat opens one: 201, status `queued` (no agent yet) or `open` (served). ' +
      'The open room is first checked with Rocket.Chat: one Rocket.Chat closed or lost without omnigate hearing of it is recorded closed and a new room opened (201). ' +
      'A visitor Rocket.Chat no longer knows is registered again from omnigate\'s record. Concurrent calls for one visitor open ONE room.',
  })
  @ApiCreatedResponse({ type: RoomDto, description: 'A new room' })
  @ApiOkResponse({ type: RoomDto, description: "The visitor's open room" })
  @ApiErrors(400, [404, 'Unknown visitor'], [409, 'No agent online and no queueing, or the visitor was erased'], 422, 503)
  async open(@Body() dto: OpenRoomDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<RoomDto> {
    const { room, created } = await this.rooms.open(dto);
    void reply.status(created ? 201 : 200);
    return room;
  }

  @Get()
  @ApiOperation({ summary: 'List rooms', description: 'Newest first; filters by status, visitor, agent, department, opened/closed period; cursor pagination.' })
  @ApiOkResponse({ type: RoomPageDto })
  @ApiErrors(400)
  list(@Query() query: RoomListQueryDto): Promise<RoomPageDto> {
    return this.rooms.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a room with its lifecycle events' })
  @ApiParam(ROOM_ID)
  @ApiOkResponse({ type: RoomDto })
  @ApiErrors(400, 404)
  get(@Param('id') id: string): Promise<RoomDto> {
    return this.rooms.get(id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @AllowVisitorSession('room')
  @ApiOperation({
    summary: 'Close the room as the visitor',
    description:
      'Through Rocket.Chat (livechat/room.close); the room changes here only once Rocket.Chat accepted. ' +
      'When Rocket.Chat had already closed the room (or no longer knows it), omnigate records it closed and answers 409 with Rocket.Chat\'s reason.',
  })
  @ApiParam(ROOM_ID)
  @ApiOkResponse({ type: RoomDto })
  @ApiErrors(400, 404, [409, 'The room is closed, or Rocket.Chat had closed or lost it (now recorded closed)'], 422, 503)
  close(@Param('id') id: string, @Body() dto: CloseRoomDto): Promise<RoomDto> {
    return this.rooms.close(id, dto);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Transfer the room to a department or to an agent',
    description:
      'Exactly one of `departmentId` and `agentId`. To a department through Rocket.Chat as the visitor (`livechat/visitor/department.transfer` on 8.x, ' +
      '`livechat/room.transfer` on 7.x: omnigate picks by the version it learnt). To an agent through `livechat/room.forward` as the configured Rocket.Chat user ' +
      '(ROCKETCHAT_USER_ID and ROCKETCHAT_AUTH_TOKEN, a user with view-l-room and transfer-livechat-guest; without them 422 `credentials-missing`); the agent must be online. ' +
      'Recorded as a `forwarded` event once Rocket.Chat accepted.',
  })
  @ApiParam(ROOM_ID)
  @ApiBody({ type: TransferRoomDto, examples: { department: { value: { departmentId: 'dep-sales' } }, agent: { value: { agentId: 'aG7nT2pQ9wXe4RbKm' } } } })
  @ApiOkResponse({ type: RoomDto })
  @ApiErrors(
    400,
    404,
    [409, 'The room is closed, or Rocket.Chat had closed or lost it (now recorded closed), or the agent is offline or already serves it'],
    [422, 'Rocket.Chat refused the transfer (reason in details), or no Rocket.Chat credentials for a transfer to an agent'],
    503,
  )
  transfer(@Param('id') id: string, @Body() dto: TransferRoomDto): Promise<RoomDto> {
    return this.rooms.transfer(id, dto);
  }

  @Post(':id/survey')
  @AllowVisitorSession('room')
  @ApiOperation({
    summary: "Record the visitor's satisfaction survey",
    description:
      'Once per room, open or closed (a survey usually follows the close). Sent to Rocket.Chat as the visitor through `livechat/room.survey` with its names ' +
      '(`satisfaction`, `additionalFeedback`, `agentKnowledge`, `agentResposiveness`, `agentFriendliness`), then stored; `room_metrics` and `GET /v1/metrics/rooms` carry it (CSAT). ' +
      'A second survey for the room: 409. Rocket.Chat unavailable: 503 and nothing stored (send it again).',
  })
  @ApiParam(ROOM_ID)
  @ApiBody({ type: SubmitSurveyDto, examples: { survey: { value: { rating: 5, comment: 'Resolvido rápido, obrigado!', agentFriendliness: 5 } } } })
  @ApiCreatedResponse({ type: SurveyDto })
  @ApiErrors(400, 404, [409, 'The room already has a survey, or Rocket.Chat no longer knows the room (now recorded closed)'], [422, 'Rocket.Chat refused the survey'], 503)
  survey(@Param('id') id: string, @Body() dto: SubmitSurveyDto): Promise<SurveyDto> {
    return this.surveys.submit(id, dto);
  }
}
