import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const rating = (description: string) =>
  ApiPropertyOptional({ minimum: 1, maximum: 5, type: 'integer', example: 5, description });

/** The visitor's satisfaction survey of a room; names as Rocket.Chat's widget asks them. */
export class SubmitSurveyDto {
  @ApiProperty({ minimum: 1, maximum: 5, type: 'integer', example: 4, description: "Overall satisfaction (Rocket.Chat's `satisfaction`)" })
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Resolvido rápido, obrigado!', description: "Free text (Rocket.Chat's `additionalFeedback`)" })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @rating("The agent's knowledge (`agentKnowledge`)")
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  agentKnowledge?: number;

  @rating("The agent's responsiveness (Rocket.Chat's `agentResposiveness`, spelt so)")
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  agentResponsiveness?: number;

  @rating("The agent's friendliness (`agentFriendliness`)")
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  agentFriendliness?: number;
}

export class SurveyDto extends SubmitSurveyDto {
  @ApiProperty({ example: '0b7c3d1e-6f4a-4b8e-9a53-2c1d7e8f9a01' })
  roomId!: string;

  @ApiProperty({ example: '2026-11-24T12:20:00.000Z' })
  submittedAt!: string;
}
