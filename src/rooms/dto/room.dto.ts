import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { WarningDto } from '../../common/http/warning.dto';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { RoomFilterDto } from './room-filter.dto';
import { IsOptional } from 'class-validator';
import { IsLaterThan, IsZonedTime } from '../../common/http/time-range';
import { IsPlainText, IsRocketChatId, IsVisitorToken } from '../../common/http/validators';

export class OpenRoomDto {
  @ApiProperty({ example: 'web-7f3c2a91-visitor', description: 'A visitor registered with POST /v1/visitors' })
  @IsVisitorToken()
  visitorToken!: string;

  @ApiPropertyOptional({ example: 'dep-support', description: "Department for the new room (saved on the visitor: Rocket.Chat routes by the visitor's department)" })
  @IsOptional()
  @IsRocketChatId()
  departmentId?: string;

  @ApiPropertyOptional({ example: 'aG7nT2pQ9wXe4RbKm', description: 'Preferred agent (Rocket.Chat user id); used when that agent is online' })
  @IsOptional()
  @IsRocketChatId()
  agentId?: string;
}

export class CloseRoomDto {
  @ApiPropertyOptional({
    example: 'Thanks, all sorted',
    description:
      "Rocket.Chat's visitor close takes no comment, so omnigate delivers it first as the visitor's last message (agents read it in the room), " +
      'then closes; it is also kept as the room\'s close comment. A close retried after a failure does not send it twice.',
  })
  @IsOptional()
  @IsPlainText(1000)
  comment?: string;
}

/** Exactly one target: a department, or one agent. */
export class TransferRoomDto {
  @ApiPropertyOptional({ example: 'dep-sales', description: 'The department to transfer to (Rocket.Chat routes the room to one of its agents, or queues it)' })
  @IsOptional()
  @IsRocketChatId()
  departmentId?: string;

  @ApiPropertyOptional({
    example: 'aG7nT2pQ9wXe4RbKm',
    description: "The agent to transfer to (Rocket.Chat's user id; the agent must be online). Needs ROCKETCHAT_USER_ID and ROCKETCHAT_AUTH_TOKEN (a user with view-l-room and transfer-livechat-guest)",
  })
  @IsOptional()
  @IsRocketChatId()
  agentId?: string;
}

export class AgentDto {
  @ApiProperty({ example: 'aG7nT2pQ9wXe4RbKm' })
  id!: string;

  @ApiPropertyOptional({ example: 'joao.agent', nullable: true, type: String })
  username!: string | null;

  @ApiPropertyOptional({ example: 'Joao Lima', nullable: true, type: String })
  name!: string | null;
}

export class RoomEventDto {
  @ApiProperty({ example: 'taken', enum: ['started', 'queued', 'taken', 'forwarded', 'closed', 'edited', 'lead_captured', 'message_edited', 'message_deleted'] })
  type!: string;

  @ApiProperty({ example: '2026-11-24T12:00:41.002Z' })
  occurredAt!: string;

  @ApiProperty({ example: { agent: { id: 'aG7nT2pQ9wXe4RbKm', username: 'joao.agent' } }, type: 'object', additionalProperties: true })
  data!: Record<string, unknown>;
}

export class RoomDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '9kRtHqYwXcPm3aZbE' })
  rocketchatRoomId!: string;

  @ApiProperty({ example: 'web-7f3c2a91-visitor' })
  visitorToken!: string;

  @ApiProperty({ enum: ['queued', 'open', 'closed'], example: 'open' })
  status!: string;

  @ApiPropertyOptional({ type: AgentDto, nullable: true })
  agent!: AgentDto | null;

  @ApiPropertyOptional({ example: 'dep-support', nullable: true, type: String })
  departmentId!: string | null;

  @ApiPropertyOptional({ example: 'Support', nullable: true, type: String, description: 'the department name as omnigate last read it from Rocket.Chat (GET /v1/departments)' })
  departmentName!: string | null;

  @ApiProperty({ example: '2026-11-24T12:00:00.120Z' })
  openedAt!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  servedAt!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  closedAt!: string | null;

  @ApiPropertyOptional({ enum: ['visitor', 'agent', 'system'], nullable: true, type: String })
  closedBy!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  closeComment!: string | null;

  @ApiProperty({ type: [String], example: ['entrega'] })
  tags!: string[];

  @ApiPropertyOptional({ nullable: true, type: String })
  lastMessageAt!: string | null;

  @ApiProperty({ example: 5 })
  messageCount!: number;

  @ApiPropertyOptional({ type: [RoomEventDto], description: 'Lifecycle history, oldest first (GET /v1/rooms/:id only)' })
  events?: RoomEventDto[];

  @ApiPropertyOptional({
    type: [WarningDto],
    description: 'POST /v1/rooms only: what Rocket.Chat did not do as asked (an `agentId` it did not route to; a `departmentId` or `agentId` unused because the visitor already had an open room)',
  })
  warnings?: WarningDto[];
}

export class RoomListQueryDto extends IntersectionType(PageQueryDto, RoomFilterDto) {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'opened at or after (a date, 2026-11-01, or a date-time with Z or an offset)' })
  @IsOptional()
  @IsZonedTime()
  openedFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'opened before; later than openedFrom (a date, 2026-11-01, or a date-time with Z or an offset)' })
  @IsOptional()
  @IsZonedTime()
  @IsLaterThan('openedFrom')
  openedTo?: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'closed at or after (a date, 2026-11-01, or a date-time with Z or an offset)' })
  @IsOptional()
  @IsZonedTime()
  closedFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'closed before; later than closedFrom (a date, 2026-11-01, or a date-time with Z or an offset)' })
  @IsOptional()
  @IsZonedTime()
  @IsLaterThan('closedFrom')
  closedTo?: string;
}

export class RoomPageDto {
  @ApiProperty({ type: [RoomDto] })
  items!: RoomDto[];

  @ApiPropertyOptional({ nullable: true, type: String })
  nextCursor!: string | null;
}
