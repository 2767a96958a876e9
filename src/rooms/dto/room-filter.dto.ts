import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsRocketChatId, IsVisitorToken } from '../../common/http/validators';

export const ROOM_STATUSES = ['queued', 'open', 'closed'] as const;

/** The room filters GET /v1/rooms and GET /v1/transcripts share: one definition, one validation. */
export class RoomFilterDto {
  @ApiPropertyOptional({ enum: ROOM_STATUSES })
  @IsOptional()
  @IsIn(ROOM_STATUSES)
  status?: (typeof ROOM_STATUSES)[number];

  @ApiPropertyOptional({ example: 'web-7f3c2a91-visitor', description: "the room's visitor" })
  @IsOptional()
  @IsVisitorToken()
  visitorToken?: string;

  @ApiPropertyOptional({ example: 'aG7nT2pQ9wXe4RbKm', description: 'the agent serving the room (the last one when it was transferred)' })
  @IsOptional()
  @IsRocketChatId()
  agentId?: string;

  @ApiPropertyOptional({ example: 'dep-support', description: "the room's department (the last one when it was transferred)" })
  @IsOptional()
  @IsRocketChatId()
  departmentId?: string;
}
