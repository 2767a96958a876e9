import { Injectable, Logger, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';

export type JobHandler<T> = (data: T) => Promise<void>;

interface QueueSpec {
  name: string;
  /** stately: at most one waiting and one running job per singleton key */
  policy: 'standard' | 'stately';
}

/**
 * The PostgreSQL-backed job queue (pg-boss): jobs are rows, enqueued in the same transaction as the
 * data they serve, claimed with SKIP LOCKED by whichever instance is free, and survive restarts.
 * Its schema comes from a migration (migrations/*-CreateJobQueue.ts), so it starts with migrate off.
 */
@Injectable()
export class JobQueue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly boss: PgBoss;
  private started = false;

  constructor(config: AppConfig) {
    this.boss = new PgBoss({
      connectionString: config.database.url,
      schema: 'pgboss',
      migrate: false,
      max: 3,
      application_name: 'omnigate-jobs',
      // a job whose instance died is taken up again after this long (jobs are short: see BATCH_PER_JOB)
      expireInSeconds: 20,
      // expiry is applied by maintenance: a job left active by a database outage (its worker could
      // not record the failure) holds its room (one active job per room) until then; the default
      // two minutes would stall the room that long after PostgreSQL is back
      maintenanceIntervalSeconds: 10,
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
    });
    this.boss.on('error', (error: Error) => this.logger.error(`job queue: ${error.message}`));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    this.started = true;
  }

  /** Queues are created by migrations; this checks that the one a worker needs exists as declared. */
  async declare(spec: QueueSpec): Promise<void> {
    const existing = await this.boss.getQueue(spec.name);
    if (!existing || existing.policy !== spec.policy) {
      throw new Error(`job queue ${spec.name} (${spec.policy}) is missing: run the migrations`);
    }
  }

  /** Enqueues inside the caller's transaction: the job exists if and only if the transaction commits. */
  async enqueueIn(em: EntityManager, queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
    return this.boss.send(queue, data, {
      ...options,
      db: { executeSql: async (text, values) => ({ rows: (await em.query(text, values)) as unknown[] }) },
    });
  }

  async enqueue(queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
    return this.boss.send(queue, data, options);
  }

  /** Runs `handler` for each job; a throw makes pg-boss retry the job with backoff. */
  async work<T extends object>(queue: string, handler: JobHandler<T>, options: { batchSize?: number; pollingIntervalSeconds?: number } = {}): Promise<void> {
    await this.boss.work<T>(
      queue,
      { batchSize: options.batchSize ?? 5, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 },
      async (jobs) => {
        await Promise.all(jobs.map((job) => handler(job.data)));
      },
    );
  }

  /**
   * Before the other shutdown hooks: should one of them fail, Nest skips the rest, and the queue
   * must be stopped before the embedded PostgreSQL goes (its connections would be terminated).
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}
