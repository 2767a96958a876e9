import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SCOPES, type Scope } from '../scopes';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'web-chat-production', description: 'What the key is for; 1-100 characters' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['chat:write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPES.length)
  @ArrayUnique()
  @IsIn(SCOPES, { each: true, message: `each value in scopes must be one of ${SCOPES.join(', ')}` })
  scopes!: Scope[];
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid', example: '0b6f6a9e-3c1e-4f47-9d4e-2a8f7c1d5e90' })
  id!: string;

  @ApiProperty({ example: 'web-chat-production' })
  name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['chat:write'] })
  scopes!: string[];

  @ApiProperty({ example: 'og_Xf3k9QpL', description: 'First characters of the secret, to recognise the key' })
  prefix!: string;

  @ApiProperty({ example: '2026-11-29T10:00:00.000Z' })
  createdAt!: string;

  @ApiPropertyOptional({ example: '2026-11-29T10:05:00.000Z', nullable: true, type: String })
  lastUsedAt!: string | null;

  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'og_Xf3k9QpLw2m7Zc1VbN8sT4yHq6uJd0eRkAaGiPoLmWs',
    description: 'The key itself, to send as `Authorization: Bearer <secret>`. Shown only in this answer.',
  })
  secret!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] })
  items!: ApiKeyDto[];
}
