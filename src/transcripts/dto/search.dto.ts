import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPlainText } from '../../common/http/validators';
import { PageQuery } from '../../common/pagination/page-query.dto';
import { RoomFilterDto } from '../../rooms/dto/room-filter.dto';
import { TranscriptAgentDto } from './transcript.dto';
import { IsAfterFrom, IsZonedTime } from './period';

/** The words and the period, listed first in the API docs. */
class SearchWordsDto {
  @ApiPropertyOptional({
    example: '"order 4521" refund -cancelled',
    description: 'Web-search syntax: words (all required), "quoted phrase", or, -exclude. Case- and accent-insensitive (`nao` finds `não`); no stemming with the default SEARCH_LANGUAGE `simple`.',
  })
  @IsOptional()
  @IsPlainText(200)
  q?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'rooms opened at or after; absent: no lower bound (search covers every room)' })
  @IsOptional()
  @IsZonedTime()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'rooms opened before; absent: no upper bound' })
  @IsOptional()
  @IsZonedTime()
  @IsAfterFrom()
  to?: string;
}

export class TranscriptSearchQueryDto extends IntersectionType(SearchWordsDto, RoomFilterDto, PageQuery(20)) {
  @ApiPropertyOptional({ example: 'refund' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;
}

export class SearchMatchDto {
  @ApiProperty({ format: 'uuid' })
  messageId!: string;

  @ApiProperty({ example: '2026-11-24T12:00:05.000Z' })
  sentAt!: string;

  @ApiProperty({ enum: ['visitor', 'agent', 'system', 'bot'] })
  authorType!: string;

  @ApiProperty({ example: 'Maria Souza' })
  authorName!: string;

  @ApiProperty({ example: 'My «order» «4521» has not arrived', description: 'plain text: the message (up to ~35 words around the match) with matched words between « and »' })
  snippet!: string;
}

export class TranscriptSearchHitDto {
  @ApiProperty({ format: 'uuid' })
  roomId!: string;

  @ApiProperty({ example: 'Lm2yGp8dRk4sTnQaW' })
  rocketchatRoomId!: string;

  @ApiProperty({ enum: ['queued', 'open', 'closed'] })
  status!: string;

  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' })
  openedAt!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  closedAt!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'dep-support' })
  departmentId!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Support', description: 'null for a department omnigate never read from Rocket.Chat' })
  departmentName!: string | null;

  @ApiPropertyOptional({ nullable: true, type: TranscriptAgentDto })
  agent!: TranscriptAgentDto | null;

  @ApiProperty({ example: { id: '0b6f7a52-2f0e-4d7e-9a59-6a3c0f1e2d3c', token: 'web-7f3c2a91-visitor', name: 'Maria Souza' } })
  visitor!: { id: string; token: string; name: string | null };

  @ApiProperty({ type: [String], example: ['refund'] })
  tags!: string[];

  @ApiProperty({ example: 12 })
  messageCount!: number;

  @ApiProperty({ example: 2, description: 'messages of the room matching q (0 without q)' })
  matchCount!: number;

  @ApiProperty({ type: [SearchMatchDto], description: 'the first 3 matching messages, highlighted' })
  matches!: SearchMatchDto[];
}

export class TranscriptSearchPageDto {
  @ApiProperty({ type: [TranscriptSearchHitDto], description: 'rooms, newest first' })
  items!: TranscriptSearchHitDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}
