import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const SESSION_TTL_DEFAULT = 900;
export const SESSION_MAX_AGE_DEFAULT = 86_400;

export class CreateVisitorSessionDto {
  @ApiPropertyOptional({ example: 900, minimum: 60, maximum: 86400, default: SESSION_TTL_DEFAULT, description: "each token's lifetime in seconds (refresh before it ends)" })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  ttlSeconds?: number;

  @ApiPropertyOptional({
    example: 28800,
    minimum: 60,
    maximum: 2592000,
    default: SESSION_MAX_AGE_DEFAULT,
    description: "the session's whole lifetime in seconds: refreshes never go past it (not less than ttlSeconds)",
  })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(2_592_000)
  maxAgeSeconds?: number;
}

export class VisitorSessionDto {
  @ApiProperty({
    example: 'ogs_eyJ2IjoiM2Y...In0.Zm9v',
    description: 'The visitor session token: `Authorization: Bearer <token>`, or `?access_token=` on a stream or a file link',
  })
  token!: string;

  @ApiProperty({ example: '2026-11-29T10:15:00.000Z', description: "this token's end: refresh before (POST /v1/sessions/refresh)" })
  expiresAt!: string;

  @ApiProperty({ example: '2026-11-29T18:00:00.000Z', description: "the session's end: no refresh goes past it" })
  sessionEndsAt!: string;

  @ApiProperty({ example: '3f0c9a52-8a4e-4f43-9d0e-4b6f1c2d7e11', description: "the visitor's omnigate id" })
  visitorId!: string;
}

export class RevokedSessionsDto {
  @ApiProperty({ example: '3f0c9a52-8a4e-4f43-9d0e-4b6f1c2d7e11' })
  visitorId!: string;

  @ApiProperty({ example: 3, description: "the visitor's session epoch now: tokens minted before are refused, and their open streams end" })
  sessionEpoch!: number;
}

/** POST /v1/visitors/:token/stream-tokens (deprecated): a session of one token, not refreshable. */
export class CreateStreamTokenDto extends PickType(CreateVisitorSessionDto, ['ttlSeconds'] as const) {}

export class StreamTokenDto {
  @ApiProperty({ example: 'ogs_eyJ2IjoiM2Y...In0.Zm9v', description: 'A visitor session token that is not refreshable' })
  token!: string;

  @ApiProperty({ example: '2026-11-29T10:15:00.000Z' })
  expiresAt!: string;
}
