import { applyDecorators } from '@nestjs/common';
import { ValidationFailedError } from '../../common/errors/domain-errors';
import {
  IsISO8601,
  Matches,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

/**
 * A date (`2026-11-24`, midnight UTC) or a date-time with `Z` or an offset. A date-time without a
 * zone is refused: JavaScript would read it in the server's local zone, silently shifting the period.
 */
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const IsZonedTime = (): PropertyDecorator =>
  applyDecorators(
    IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date or date-time' }),
    Matches(ZONED_TIME, { message: '$property must be a date (2026-11-24) or a date-time with Z or an offset (2026-11-24T12:00:00Z)' }),
  );

/** On `to`: the period is half-open [from, to) and must not be empty or inverted. */
export function IsAfterFrom(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAfterFrom',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be later than from', ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const from = (args.object as { from?: unknown }).from;
          if (typeof value !== 'string' || typeof from !== 'string') return true;
          const [f, t] = [Date.parse(from), Date.parse(value)];
          return Number.isNaN(f) || Number.isNaN(t) || t > f;
        },
      },
    });
}

export interface Period {
  from: Date;
  to: Date;
}

/** The period of GET /v1/metrics/rooms when `from` is absent: this many days before now. */
export const DEFAULT_PERIOD_DAYS = 30;

/**
 * The analysts' default period: `from` = now − 30 days when absent, `to` = now when absent. A bound
 * that is given was validated by the DTO (both given: from < to); one given against a default may
 * still leave the period empty or inverted, which is a 400 naming it.
 */
export function periodOrDefault(q: { from?: string; to?: string }, now: Date): Period {
  const from = q.from ? new Date(q.from) : new Date(now.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000);
  const to = q.to ? new Date(q.to) : now;
  if (from < to) return { from, to };
  throw new ValidationFailedError(
    q.from
      ? [{ field: 'from', errors: ['from must be earlier than now when to is absent'] }]
      : [{ field: 'to', errors: [`to must be later than ${DEFAULT_PERIOD_DAYS} days ago when from is absent`] }],
  );
}

/** A period whose absent bounds are open: everything before `to`, after `from`, or everything. */
export interface OpenPeriod {
  from?: Date;
  to?: Date;
}

export function openPeriod(q: { from?: string; to?: string }): OpenPeriod {
  return { ...(q.from ? { from: new Date(q.from) } : {}), ...(q.to ? { to: new Date(q.to) } : {}) };
}
