import { ValidationFailedError } from '../../common/errors/domain-errors';
import { IsLaterThan, IsZonedTime } from '../../common/http/time-range';

export { IsZonedTime };

/** On `to`: the period is half-open [from, to) and must not be empty or inverted. */
export const IsAfterFrom = (): PropertyDecorator => IsLaterThan('from');

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
