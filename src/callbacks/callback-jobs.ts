import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { backoffMs } from '../delivery/backoff';
import { withDownloadUrls } from '../messages/message.mapper';
import { JobQueue } from '../delivery/job-queue';
import { MetricsService } from '../metrics/metrics.service';
import { CALLBACK_OPTIONS, CallbackOptions } from './callback-options';
import { CallbackSender, SendResult } from './callback-sender';

/** pg-boss's queue name, kept as first stored: jobs waiting across an upgrade still run */
export const CALLBACK_QUEUE = 'callback-delivery';

export interface CallbackJob {
  subscriptionId: string;
  eventId: string;
  attempt: number;
}

export type AttemptOutcome = 'delivered' | 'failed' | 'retrying' | 'gave_up';

interface Target {
  url: string;
  secret: string;
  id: string;
  type: string;
  room_id: string;
  data: Record<string, unknown>;
  created_at: Date;
}

/**
 * One job = one attempt to POST one event to one subscription. HTTP failures are retried here, not by
 * pg-boss: the attempt is recorded and its successor job enqueued (with the backoff as startAfter) in
 * one transaction. A delivery that ends failed or gave_up counts toward disabling the subscription;
 * a delivered one resets the count.
 */
@Injectable()
export class CallbackJobs implements OnModuleInit {
  private readonly attempts;
  private readonly latency;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly sender: CallbackSender,
    @Inject(CALLBACK_OPTIONS) private readonly options: CallbackOptions,
    metrics: MetricsService,
  ) {
    this.attempts = metrics.counter('omnigate_callback_attempts_total', 'Callback delivery attempts by outcome', ['outcome']);
    this.latency = metrics.histogram('omnigate_callback_latency_seconds', 'Time a subscriber took to answer a callback, by outcome', ['outcome'], [
      0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
  }

  async onModuleInit(): Promise<void> {
    await this.jobs.declare({ name: CALLBACK_QUEUE, policy: 'standard' });
    await this.jobs.work<CallbackJob>(CALLBACK_QUEUE, (job) => this.deliver(job), { batchSize: 10 });
  }

  /** Enqueues the first attempt inside the dispatcher's transaction. */
  async scheduleIn(em: EntityManager, subscriptionId: string, eventId: string): Promise<void> {
    await this.jobs.enqueueIn(em, CALLBACK_QUEUE, { subscriptionId, eventId, attempt: 1 } satisfies CallbackJob);
  }

  async deliver(job: CallbackJob): Promise<void> {
    const [target]: Target[] = await this.dataSource.query(
      `SELECT s.url, s.secret, e.id::text AS id, e.type, e.room_id, e.data, e.created_at
         FROM callback_subscriptions s, live_events e
        WHERE s.id = $1 AND s.disabled_at IS NULL AND e.id = $2`,
      [job.subscriptionId, job.eventId],
    );
    // deleted or disabled meanwhile: nothing more goes to it
    if (!target) return;
    const result = await this.sender.send(target.url, target.secret, {
      id: target.id,
      type: target.type,
      roomId: target.room_id,
      createdAt: new Date(target.created_at).toISOString(),
      data: withDownloadUrls(target.room_id, target.data),
    });
    const retryAt = Date.now() + backoffMs(job.attempt, this.options.retryBaseMs, this.options.retryMaxMs);
    const outcome = this.outcome(result, retryAt, new Date(target.created_at).getTime());
    this.attempts.inc({ outcome });
    this.latency.observe({ outcome }, result.latencyMs / 1000);
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO callback_attempts (subscription_id, event_id, event_type, attempt, outcome, http_status, error, latency_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [job.subscriptionId, target.id, target.type, job.attempt, outcome, result.httpStatus, result.error, result.latencyMs],
      );
      if (outcome === 'retrying') {
        await this.jobs.enqueueIn(em, CALLBACK_QUEUE, { ...job, attempt: job.attempt + 1 } satisfies CallbackJob, { startAfter: new Date(retryAt) });
      } else {
        await this.countOutcome(em, job.subscriptionId, outcome, `${outcome} (${result.error ?? 'no answer'})`);
      }
    });
  }

  private outcome(result: SendResult, retryAt: number, eventTime: number): AttemptOutcome {
    if (result.kind === 'delivered') return 'delivered';
    if (result.kind === 'rejected') return 'failed';
    return retryAt - eventTime > this.options.maxAgeMs ? 'gave_up' : 'retrying';
  }

  private async countOutcome(em: EntityManager, subscriptionId: string, outcome: Exclude<AttemptOutcome, 'retrying'>, last: string): Promise<void> {
    if (outcome === 'delivered') {
      await em.query(`UPDATE callback_subscriptions SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0`, [subscriptionId]);
      return;
    }
    const limit = this.options.disableAfterFailures;
    await em.query(
      `UPDATE callback_subscriptions
          SET consecutive_failures = consecutive_failures + 1,
              disabled_at = CASE WHEN disabled_at IS NULL AND consecutive_failures + 1 >= $2 THEN now() ELSE disabled_at END,
              disabled_reason = CASE WHEN disabled_at IS NULL AND consecutive_failures + 1 >= $2
                                     THEN format('%s deliveries in a row failed; the last: %s', consecutive_failures + 1, $3::text)
                                     ELSE disabled_reason END
        WHERE id = $1`,
      [subscriptionId, limit, last],
    );
  }
}
