import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PgNotifications } from '../database/pg-notifications';
import { CALLBACK_OPTIONS, CallbackOptions } from './callback-options';
import { CallbackJobs } from './callback-jobs';

/** pg_try_advisory_xact_lock key: one dispatcher at a time across all instances ("omnicb" in ASCII). */
const DISPATCH_LOCK = 0x6f6d6e696362;
const EVENTS_PER_BATCH = 500;

interface EventRow {
  id: string;
  type: string;
  tx: string;
}

interface SubscriptionRow {
  id: string;
  events: string[];
  after_event_id: string;
}

/** Delay that gathers a burst of events into one dispatch run. */
const DISPATCH_COALESCE_MS = 100;

/**
 * Turns the event log into callback jobs. Whichever instance holds the advisory lock reads the
 * events after the stored cursor, enqueues one delivery job per matching active subscription and
 * advances the cursor, all in one transaction: nothing is lost or enqueued twice, and the request
 * path pays nothing beyond its NOTIFY. Woken by LISTEN, with a short poll as a safety net (a lost
 * connection, or events held back behind a transaction still running).
 */
@Injectable()
export class CallbackDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CallbackDispatcher.name);
  private unlisten?: () => void;
  private soon?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: PgNotifications,
    private readonly delivery: CallbackJobs,
    @Inject(CALLBACK_OPTIONS) private readonly options: CallbackOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unlisten = this.notifications.subscribe({ onNotification: () => this.wakeSoon(), onReconnected: () => this.wake() });
    this.poll = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.poll.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    clearTimeout(this.soon);
    this.unlisten?.();
    await this.running;
  }

  /**
   * Coalesces the wake-ups of a burst of events into one run per DISPATCH_COALESCE_MS: one
   * dispatch transaction per batch of events, not per event (the request path's database time).
   */
  private wakeSoon(): void {
    if (this.soon || this.closed) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.wake();
    }, DISPATCH_COALESCE_MS);
  }

  /** Runs the dispatcher now, or once more right after the run in progress. */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.closed && (await this.dispatchBatch()) === EVENTS_PER_BATCH);
    } catch (error) {
      this.logger.warn(`callback dispatch failed, retried on the next poll: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** One transaction: lock, read events after the cursor, enqueue, advance. Returns the events read. */
  async dispatchBatch(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const [{ locked }]: Array<{ locked: boolean }> = await em.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [DISPATCH_LOCK]);
      if (!locked) return 0;
      const [cursor]: Array<{ last_tx: string; last_event_id: string }> = await em.query(
        `SELECT last_tx::text, last_event_id::text FROM callback_cursor`,
      );
      // only transactions older than every one still running: no event can appear behind the cursor
      const events: EventRow[] = await em.query(
        `SELECT id::text, type, tx::text FROM live_events
          WHERE tx IS NOT NULL AND tx < pg_snapshot_xmin(pg_current_snapshot())
            AND (tx, id) > ($1::xid8, $2::bigint)
          ORDER BY tx, id LIMIT ${EVENTS_PER_BATCH}`,
        [cursor!.last_tx, cursor!.last_event_id],
      );
      if (!events.length) return 0;
      const subscriptions: SubscriptionRow[] = await em.query(
        `SELECT id, events, after_event_id::text FROM callback_subscriptions WHERE disabled_at IS NULL`,
      );
      for (const event of events) {
        for (const s of subscriptions) {
          if (s.events.includes(event.type) && BigInt(event.id) > BigInt(s.after_event_id)) {
            await this.delivery.scheduleIn(em, s.id, event.id);
          }
        }
      }
      const last = events[events.length - 1]!;
      await em.query(`UPDATE callback_cursor SET last_tx = $1::xid8, last_event_id = $2, updated_at = now()`, [last.tx, last.id]);
      return events.length;
    });
  }
}
