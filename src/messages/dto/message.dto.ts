import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUrl, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsPlainText } from '../../common/http/validators';
import { PageQuery } from '../../common/pagination/page-query.dto';

/** Rocket.Chat's default Message_MaxAllowedSize: agents' clients truncate beyond it. */
export const MAX_MESSAGE_LENGTH = 5000;

export class LinkAttachmentDto {
  @ApiProperty({ example: 'https://shop.example.com/orders/48213', description: 'http(s) link' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ example: 'Order 48213' })
  @IsOptional()
  @IsPlainText(200)
  title?: string;
}

export class SendMessageDto {
  @ApiProperty({ example: 'Olá, meu pedido não chegou', maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_MESSAGE_LENGTH)
  text!: string;

  @ApiPropertyOptional({
    type: [LinkAttachmentDto],
    description: "Links shown with the message. Rocket.Chat's visitor message API takes text only, so they travel as markdown links appended to the text and are stored as attachments here. Files: POST /v1/rooms/:id/files.",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => LinkAttachmentDto)
  attachments?: LinkAttachmentDto[];
}

export class EditMessageDto {
  @ApiProperty({ example: 'Olá, meu pedido 48213 não chegou', maxLength: MAX_MESSAGE_LENGTH, description: "The message's new text (the whole text)" })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_MESSAGE_LENGTH)
  text!: string;
}

export class AttachmentDto {
  @ApiProperty({ enum: ['file', 'link', 'attachment'] })
  kind!: string;

  @ApiPropertyOptional()
  name?: string;

  @ApiPropertyOptional()
  title?: string;

  @ApiPropertyOptional()
  type?: string;

  @ApiPropertyOptional()
  size?: number;

  @ApiPropertyOptional({ description: "Rocket.Chat's url: relative (`/file-upload/...`) for files, which an app cannot fetch; use `downloadUrl`" })
  url?: string;

  @ApiPropertyOptional({ description: "Rocket.Chat's file id (files)" })
  id?: string;

  @ApiPropertyOptional({
    example: '/v1/rooms/6f1c.../files/Fk3kQz8uW2yJbGm5a',
    description: "A file of the room, streamed through omnigate with omnigate's auth (an API key, or the visitor's own session)",
  })
  downloadUrl?: string;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid', description: "omnigate's id; for messages sent through omnigate also Rocket.Chat's `_id`" })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  roomId!: string;

  @ApiProperty({ example: '1d6f0c2e-4b1a-4f7e-9a53-2f3b1c0d9e11' })
  rocketchatMessageId!: string;

  @ApiProperty({ enum: ['visitor', 'agent', 'system', 'bot'] })
  authorType!: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Joao Lima' })
  authorName!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'joao.agent' })
  authorUsername!: string | null;

  @ApiProperty({ example: 'Olá, meu pedido não chegou' })
  text!: string;

  @ApiProperty({ type: [AttachmentDto] })
  attachments!: AttachmentDto[];

  @ApiPropertyOptional({ nullable: true, type: String, example: 'livechat-close', description: 'Rocket.Chat system message type' })
  systemType!: string | null;

  @ApiProperty({ example: '2026-11-24T12:00:05.300Z' })
  sentAt!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  editedAt!: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "when the visitor deleted the message: its text is then empty here (PostgreSQL keeps it for audit, in messages.text and the room's message_deleted event)",
  })
  deletedAt!: string | null;

  @ApiPropertyOptional({
    enum: ['pending', 'sent', 'failed'],
    nullable: true,
    type: String,
    description: 'For messages sent through omnigate: `pending` until Rocket.Chat has it, `failed` when it refused for good',
  })
  deliveryStatus!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'room-closed', description: "Rocket.Chat's reason for a failed delivery" })
  deliveryError!: string | null;

  @ApiProperty({ example: '12345', description: 'position in omnigate: a stable order for equal timestamps' })
  sequence!: string;
}

export class MessageListQueryDto extends PageQuery(100, 500) {
  @ApiPropertyOptional({ format: 'uuid', description: 'only messages after this message (what is new since)' })
  @IsOptional()
  @IsUUID('all', { message: 'after must be a message id (UUID)' })
  after?: string;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto] })
  items!: MessageDto[];

  @ApiPropertyOptional({ nullable: true, type: String })
  nextCursor!: string | null;
}
