import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsAfterFrom, IsZonedTime } from './period';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'start of the period, included; absent: from the first row' })
  @IsOptional()
  @IsZonedTime()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'end of the period, excluded; absent: up to the last row' })
  @IsOptional()
  @IsZonedTime()
  @IsAfterFrom()
  to?: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` })
  format?: ExportFormat;
}
