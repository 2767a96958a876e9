import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsAfterFrom, IsZonedTime } from './period';

export const METRICS_GROUPINGS = ['room', 'day', 'agent', 'department'] as const;
export type MetricsGrouping = (typeof METRICS_GROUPINGS)[number];

/** The definitions, shared by Swagger and the README: the SQL is the view `room_metrics`. */
export const METRICS_DEFINITIONS =
  'Rooms are selected by opening time in [from, to); without `from`, from = 30 days before now, without `to`, to = now (the answer\'s `from` and `to` say which period was used). ' +
  '**wait** = first served − opened (null if never served). ' +
  '**first response** = first agent message after the first visitor message − that visitor message (bots do not count; null without both). ' +
  '**handle** = closed − first served (null unless served and closed). **duration** = closed − opened. ' +
  '**messages** counted per author type (visitor, agent, bot, system); outbound messages Rocket.Chat refused are not counted. ' +
  '**transfers** = forwarding events. **closedBy** = visitor, agent or system. Times in seconds. ' +
  'Grouped: day = UTC day of opening; agent = the agent serving the room last (null: never served); department = the room\'s last department. ' +
  'avg/p50/p90 ignore rooms where the measure is null.';

export class RoomMetricsQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'rooms opened at or after; default: 30 days before now' })
  @IsOptional()
  @IsZonedTime()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'rooms opened before; default: now' })
  @IsOptional()
  @IsZonedTime()
  @IsAfterFrom()
  to?: string;

  @ApiPropertyOptional({ enum: METRICS_GROUPINGS, default: 'room' })
  @IsOptional()
  @IsIn(METRICS_GROUPINGS, { message: `groupBy must be one of ${METRICS_GROUPINGS.join(', ')}` })
  groupBy?: MetricsGrouping;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 100, default: 50, description: 'groupBy=room only' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'groupBy=room only: nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class MessageCountsDto {
  @ApiProperty({ example: 3 }) visitor!: number;
  @ApiProperty({ example: 2 }) agent!: number;
  @ApiProperty({ example: 0 }) bot!: number;
  @ApiProperty({ example: 1 }) system!: number;
}

export class RoomMetricsDto {
  @ApiProperty({ format: 'uuid' }) roomId!: string;
  @ApiProperty({ example: 'Lm2yGp8dRk4sTnQaW' }) rocketchatRoomId!: string;
  @ApiProperty({ enum: ['queued', 'open', 'closed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'dep-support' }) departmentId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'Support', description: 'null for a department omnigate never read from Rocket.Chat' }) departmentName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'agent-ana' }) agentId!: string | null;
  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' }) openedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) servedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['visitor', 'agent', 'system'], type: String }) closedBy!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 30 }) waitSeconds!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 45 }) firstResponseSeconds!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 570 }) handleSeconds!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 600 }) durationSeconds!: number | null;
  @ApiProperty({ type: MessageCountsDto }) messages!: MessageCountsDto;
  @ApiProperty({ example: 1 }) transfers!: number;
  @ApiPropertyOptional({ nullable: true, type: 'integer', minimum: 1, maximum: 5, example: 5, description: "the visitor's satisfaction rating (POST /v1/rooms/:id/survey); null: no survey" })
  surveyRating!: number | null;
}

export class DurationStatsDto {
  @ApiPropertyOptional({ nullable: true, type: Number, example: 42.5 }) avg!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 30 }) p50!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 90 }) p90!: number | null;
}

export class ClosedByCountsDto {
  @ApiProperty({ example: 4 }) visitor!: number;
  @ApiProperty({ example: 10 }) agent!: number;
  @ApiProperty({ example: 1 }) system!: number;
}

export class CsatDto {
  @ApiProperty({ example: 12, description: 'rooms with a survey' }) count!: number;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 4.25, description: 'average rating (1-5); null without surveys' }) average!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 0.833, description: 'share of ratings 4 or 5 (CSAT); null without surveys' }) satisfiedShare!: number | null;
}

export class MetricsGroupDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-11-24', description: 'the day (YYYY-MM-DD, UTC), agent id or department id; null: no agent / department' })
  key!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'Ana Lima', description: "groupBy=agent: the agent's name; groupBy=department: the department's name (null when unknown)" })
  label!: string | null;
  @ApiProperty({ example: 15 }) rooms!: number;
  @ApiProperty({ example: 14 }) servedRooms!: number;
  @ApiProperty({ example: 12 }) closedRooms!: number;
  @ApiProperty({ type: DurationStatsDto }) waitSeconds!: DurationStatsDto;
  @ApiProperty({ type: DurationStatsDto }) firstResponseSeconds!: DurationStatsDto;
  @ApiProperty({ type: DurationStatsDto }) handleSeconds!: DurationStatsDto;
  @ApiProperty({ type: MessageCountsDto }) messages!: MessageCountsDto;
  @ApiProperty({ example: 3 }) transfers!: number;
  @ApiProperty({ type: ClosedByCountsDto }) closedBy!: ClosedByCountsDto;
  @ApiProperty({ type: CsatDto, description: "the visitors' satisfaction surveys of the group's rooms" }) csat!: CsatDto;
}

export class RoomMetricsPageDto {
  @ApiProperty({ enum: METRICS_GROUPINGS }) groupBy!: MetricsGrouping;
  @ApiProperty({ example: '2026-11-01T00:00:00.000Z', description: 'the period used: as given, or its default (30 days before now)' }) from!: string;
  @ApiProperty({ example: '2026-12-01T00:00:00.000Z', description: 'the period used: as given, or its default (now)' }) to!: string;
  @ApiPropertyOptional({ type: [RoomMetricsDto], description: 'groupBy=room: one entry per room, oldest first' })
  rooms?: RoomMetricsDto[];
  @ApiPropertyOptional({ type: [MetricsGroupDto], description: 'groupBy=day|agent|department' })
  groups?: MetricsGroupDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'groupBy=room: the next page; null on the last one' })
  nextCursor!: string | null;
}
