import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one shape of every error omnigate answers. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request', description: 'HTTP reason phrase' })
  error!: string;

  @ApiProperty({ example: 'Validation failed: name must be shorter than or equal to 100 characters' })
  message!: string;

  @ApiPropertyOptional({
    description: 'Machine-readable detail: the offending fields for validation errors, Rocket.Chat\'s reason for refusals',
    example: [{ field: 'name', errors: ['name must be shorter than or equal to 100 characters'] }],
    // an array of field errors for validation, an object elsewhere
    oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }],
  })
  details?: unknown;
}
