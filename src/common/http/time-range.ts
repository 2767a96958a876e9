import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * A date (`2026-11-24`, midnight UTC) or a date-time with `Z` or an offset. A date-time without a
 * zone is refused: JavaScript would read it in the server's local zone, silently shifting the period.
 * Every time filter of the API takes this form (rooms, transcripts, exports, metrics).
 */
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const IsZonedTime = (): PropertyDecorator =>
  applyDecorators(
    IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date or date-time' }),
    Matches(ZONED_TIME, { message: '$property must be a date (2026-11-24) or a date-time with Z or an offset (2026-11-24T12:00:00Z)' }),
  );

/** On the end of a half-open range [start, end): later than `start`, so the range is neither empty nor inverted. */
export function IsLaterThan(start: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isLaterThan',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [start],
      options: { message: `$property must be later than ${start}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const from = (args.object as Record<string, unknown>)[start];
          if (typeof value !== 'string' || typeof from !== 'string') return true;
          const [f, t] = [Date.parse(from), Date.parse(value)];
          return Number.isNaN(f) || Number.isNaN(t) || t > f;
        },
      },
    });
}
