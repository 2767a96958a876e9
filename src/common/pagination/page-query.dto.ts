import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * `limit` and `cursor` of a keyset-paginated list, with that list's default and largest page size
 * (the services apply the same default when `limit` is absent).
 */
export function PageQuery(defaultLimit: number, maxLimit = 100) {
  class PageQueryBase {
    @ApiPropertyOptional({ example: defaultLimit, minimum: 1, maximum: maxLimit, default: defaultLimit })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(maxLimit)
    limit?: number;

    @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
    @IsOptional()
    @IsString()
    @MaxLength(500)
    cursor?: string;
  }
  return PageQueryBase;
}

/** The usual page: 1-100 items, 50 by default. */
export class PageQueryDto extends PageQuery(50) {}
