import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class CreateStreamTokenDto {
  @ApiPropertyOptional({ example: 900, minimum: 60, maximum: 86400, default: 900, description: 'lifetime in seconds' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  ttlSeconds?: number;
}

export class StreamTokenDto {
  @ApiProperty({ example: 'ogs_eyJ2IjoiM2Y...In0.Zm9v', description: "Open this visitor's streams with it: `?access_token=` or as a bearer" })
  token!: string;

  @ApiProperty({ example: '2026-11-29T10:15:00.000Z' })
  expiresAt!: string;
}
