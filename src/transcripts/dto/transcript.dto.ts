import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const TRANSCRIPT_FORMATS = ['json', 'txt', 'csv', 'ndjson'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

export class TranscriptQueryDto {
  @ApiPropertyOptional({
    enum: TRANSCRIPT_FORMATS,
    example: 'txt',
    description: 'Wins over the Accept header (application/json, text/plain, text/csv, application/x-ndjson)',
  })
  @IsOptional()
  @IsIn(TRANSCRIPT_FORMATS, { message: `format must be one of ${TRANSCRIPT_FORMATS.join(', ')}` })
  format?: TranscriptFormat;
}

export class TranscriptAgentDto {
  @ApiProperty({ example: 'agent-ana' })
  id!: string;

  @ApiPropertyOptional({ example: 'ana.lima', nullable: true, type: String })
  username!: string | null;

  @ApiPropertyOptional({ example: 'Ana Lima', nullable: true, type: String })
  name!: string | null;
}

export class TranscriptDepartmentDto {
  @ApiProperty({ example: 'dep-sales', description: "Rocket.Chat's department id" })
  id!: string;

  @ApiPropertyOptional({ example: 'Sales', nullable: true, type: String, description: 'as omnigate last read it from Rocket.Chat; null for a department it never read' })
  name!: string | null;
}

export class TranscriptVisitorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'web-7f3c2a91-visitor' })
  token!: string;

  @ApiPropertyOptional({ example: 'Maria Souza', nullable: true, type: String, description: 'null after a GDPR erase' })
  name!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'when the personal fields were erased' })
  erasedAt!: string | null;
}

export class TranscriptRoomDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Lm2yGp8dRk4sTnQaW' })
  rocketchatRoomId!: string;

  @ApiProperty({ enum: ['queued', 'open', 'closed'], example: 'closed' })
  status!: string;

  @ApiPropertyOptional({ example: 'dep-support', nullable: true, type: String, description: 'the department at the end (or now)' })
  departmentId!: string | null;

  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' })
  openedAt!: string;

  @ApiPropertyOptional({ example: '2026-11-24T12:00:30.000Z', nullable: true, type: String })
  servedAt!: string | null;

  @ApiPropertyOptional({ example: '2026-11-24T12:10:00.000Z', nullable: true, type: String })
  closedAt!: string | null;

  @ApiPropertyOptional({ enum: ['visitor', 'agent', 'system'], nullable: true, type: String })
  closedBy!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  closeComment!: string | null;

  @ApiProperty({ example: ['refund'], type: [String] })
  tags!: string[];
}

export class TranscriptEventDto {
  @ApiProperty({ example: 'taken', description: 'started, queued, taken, forwarded, closed, edited, lead_captured, message_edited, message_deleted' })
  type!: string;

  @ApiProperty({ example: '2026-11-24T12:00:30.000Z' })
  occurredAt!: string;

  @ApiProperty({ example: { agent: { id: 'agent-ana', username: 'ana.lima', name: 'Ana Lima' } }, type: 'object', additionalProperties: true })
  data!: Record<string, unknown>;
}

export class TranscriptMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Xy7pQ2' })
  rocketchatMessageId!: string;

  @ApiProperty({ enum: ['visitor', 'agent', 'system', 'bot'], example: 'visitor' })
  authorType!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  authorId!: string | null;

  @ApiProperty({ example: 'Maria Souza', description: "Author's name, or Visitor/Agent/Bot/System when unknown or erased" })
  authorName!: string;

  @ApiProperty({ example: 'My order 4521 has not arrived' })
  text!: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: "Rocket.Chat's system message type" })
  systemType!: string | null;

  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, example: [] })
  attachments!: Array<Record<string, unknown>>;

  @ApiProperty({ example: '2026-11-24T12:00:05.000Z' })
  sentAt!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  editedAt!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'when the visitor deleted the message (its text and attachments are then empty here)' })
  deletedAt!: string | null;
}

export class TranscriptDto {
  @ApiProperty({ type: TranscriptRoomDto })
  room!: TranscriptRoomDto;

  @ApiProperty({ type: TranscriptVisitorDto })
  visitor!: TranscriptVisitorDto;

  @ApiProperty({ type: [TranscriptAgentDto], description: 'every agent involved, in order of first involvement' })
  agents!: TranscriptAgentDto[];

  @ApiPropertyOptional({ type: TranscriptDepartmentDto, nullable: true, description: 'the department at the end (or now), `room.departmentId` with its name; null without one' })
  department!: TranscriptDepartmentDto | null;

  @ApiProperty({ type: [TranscriptDepartmentDto], description: 'every department the room was in (its events name them), in order of first appearance' })
  departments!: TranscriptDepartmentDto[];

  @ApiProperty({ type: [TranscriptEventDto], description: 'lifecycle history in order' })
  events!: TranscriptEventDto[];

  @ApiProperty({ type: [TranscriptMessageDto], description: 'in conversation order (sent time, then arrival)' })
  messages!: TranscriptMessageDto[];
}
