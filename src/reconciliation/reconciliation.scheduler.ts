import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ApiError } from '../common/errors/domain-errors';
import { RECONCILIATION_OPTIONS, ReconciliationOptions, ROOMS_PER_RUN } from './reconciliation.options';
import { ReconciliationService } from './reconciliation.service';

/**
 * The periodic reconciliation: every interval, visit open rooms (a bounded batch, continuing where
 * the last run stopped) and backfill what their history holds that omnigate lacks. Several
 * instances may run it at once: each room is claimed by one of them (ReconciliationService.sync).
 */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private cursor: string | null = null;
  private stopped = false;

  constructor(
    @Inject(RECONCILIATION_OPTIONS) private readonly options: ReconciliationOptions,
    private readonly reconciliation: ReconciliationService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    // the job must not keep a stopping process alive
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One run; a run still going when the next interval fires is not doubled. */
  tick(): Promise<void> {
    this.running ??= this.runOnce()
      .catch((error: unknown) => this.logger.warn(`reconciliation run failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(): Promise<void> {
    const rooms = await this.reconciliation.openRooms(this.cursor, ROOMS_PER_RUN);
    this.cursor = rooms.length === ROOMS_PER_RUN ? rooms[rooms.length - 1]!.id : null;
    for (const room of rooms) {
      if (this.stopped) return;
      try {
        await this.reconciliation.sync(room, 'schedule');
      } catch (error) {
        // one room's trouble (closed or lost in Rocket.Chat: recorded closed; Rocket.Chat down) must not stop the others
        if (!(error instanceof ApiError && error.getStatus() < 500)) this.logger.warn(`reconciliation of room ${room.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
