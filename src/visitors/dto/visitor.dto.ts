import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { Type } from 'class-transformer';
import { WarningDto } from '../../common/http/warning.dto';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsPlainText, IsRocketChatId, IsVisitorToken } from '../../common/http/validators';

export class CustomFieldDto {
  @ApiProperty({ example: 'plan', description: 'A visitor custom field defined in Rocket.Chat (unknown keys are skipped by Rocket.Chat)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'key must be 1-64 characters of A-Z a-z 0-9 _ -' })
  key!: string;

  @ApiProperty({ example: 'gold' })
  @IsString()
  @MaxLength(1000)
  value!: string;

  @ApiProperty({ example: true, description: 'false keeps a value Rocket.Chat already has' })
  @IsBoolean()
  overwrite!: boolean;
}

export class UpsertVisitorDto {
  @ApiProperty({ example: 'web-7f3c2a91-visitor', description: "Your app's stable id for this visitor (1-200 of A-Z a-z 0-9 . _ : @ -)" })
  @IsVisitorToken()
  token!: string;

  @ApiPropertyOptional({ example: 'Maria Souza' })
  @IsOptional()
  @IsPlainText(255)
  name?: string;

  @ApiPropertyOptional({ example: 'maria@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: '+5511987654321', description: 'Digits, spaces, ( ) - and a leading +' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 ()-]{2,29}$/, { message: 'phone must be 3-30 characters: digits, spaces, ( ) - and a leading +' })
  phone?: string;

  @ApiPropertyOptional({ example: 'dep-support', description: 'Rocket.Chat department id; the department new rooms of this visitor go to' })
  @IsOptional()
  @IsRocketChatId()
  department?: string;

  @ApiPropertyOptional({ example: 'maria.souza', description: 'Rocket.Chat username; Rocket.Chat generates guest-N when absent and never changes it' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'username must be 1-100 characters of A-Z a-z 0-9 . _ -' })
  username?: string;

  @ApiPropertyOptional({ type: [CustomFieldDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldDto)
  customFields?: CustomFieldDto[];
}

export class VisitorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'web-7f3c2a91-visitor' })
  token!: string;

  @ApiPropertyOptional({ example: 'Lm2yGp8dRk4sTnQaW', nullable: true, type: String })
  rocketchatId!: string | null;

  @ApiPropertyOptional({ example: 'guest-412', nullable: true, type: String })
  username!: string | null;

  @ApiPropertyOptional({ example: 'Maria Souza', nullable: true, type: String })
  name!: string | null;

  @ApiPropertyOptional({ example: 'maria@example.com', nullable: true, type: String })
  email!: string | null;

  @ApiPropertyOptional({ example: '+5511987654321', nullable: true, type: String })
  phone!: string | null;

  @ApiPropertyOptional({ example: 'dep-support', nullable: true, type: String })
  department!: string | null;

  @ApiProperty({ example: { plan: 'gold' }, type: 'object', additionalProperties: { type: 'string' } })
  customFields!: Record<string, string>;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'When personal fields were erased (DELETE /v1/visitors/:token)' })
  erasedAt!: string | null;

  @ApiProperty({ example: '2026-11-24T11:59:58.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-24T11:59:58.000Z' })
  updatedAt!: string;

  @ApiPropertyOptional({ type: [WarningDto], description: 'POST /v1/visitors only: values Rocket.Chat ignored (custom fields it has not defined for visitors)' })
  warnings?: WarningDto[];
}

export class VisitorListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'maria@example.com', description: 'exact match, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: '+5511987654321' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;

  @ApiPropertyOptional({ example: '2026-11-24T00:00:00Z', description: 'only visitors updated at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'updatedSince must be an ISO-8601 date-time' })
  updatedSince?: string;

}

export class VisitorPageDto {
  @ApiProperty({ type: [VisitorDto] })
  items!: VisitorDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}
