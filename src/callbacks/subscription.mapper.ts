import type { CallbackAttemptEntity } from './callback-attempt.entity';
import type { DeliveryAttemptDto, SubscriptionDto } from './dto/subscription.dto';
import type { SubscriptionEntity } from './subscription.entity';

/** Never the secret. */
export function toSubscriptionDto(s: SubscriptionEntity): SubscriptionDto {
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    createdAt: s.createdAt.toISOString(),
    disabledAt: s.disabledAt?.toISOString() ?? null,
    disabledReason: s.disabledReason,
    consecutiveFailures: s.consecutiveFailures,
  };
}

export function toDeliveryAttemptDto(a: CallbackAttemptEntity): DeliveryAttemptDto {
  return {
    eventId: a.eventId,
    eventType: a.eventType,
    attempt: a.attempt,
    outcome: a.outcome,
    httpStatus: a.httpStatus,
    error: a.error,
    latencyMs: a.latencyMs,
    attemptedAt: a.attemptedAt.toISOString(),
  };
}
