import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsPlainText, IsRocketChatId } from '../../common/http/validators';
import { MAX_MESSAGE_LENGTH } from '../../messages/dto/message.dto';

export class CreateOfflineMessageDto {
  @ApiProperty({ example: 'Carlos Pereira' })
  @IsPlainText(255)
  name!: string;

  @ApiProperty({ example: 'carlos@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Vocês abrem amanhã às 8h?', maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_MESSAGE_LENGTH)
  message!: string;

  @ApiPropertyOptional({ example: 'dep-support' })
  @IsOptional()
  @IsRocketChatId()
  department?: string;
}

export class OfflineMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Carlos Pereira' })
  name!: string;

  @ApiProperty({ example: 'carlos@example.com' })
  email!: string;

  @ApiProperty({ example: 'Vocês abrem amanhã às 8h?' })
  message!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  department!: string | null;

  @ApiProperty({ enum: ['api', 'webhook'] })
  source!: string;

  @ApiProperty({ example: '2026-11-24T22:15:00.000Z' })
  sentAt!: string;
}
