import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '../config/app-config';

/** Messages re-indexed per transaction, and the pause between two (room for live traffic). */
export const REINDEX_BATCH = 2000;
const REINDEX_PAUSE_MS = 10;
/** How often an instance that found the re-index taken by another checks whether it is still going. */
const REINDEX_WAIT_MS = 5000;

interface Settings {
  language: string;
  reindex_after: string | null;
  reindexing: boolean;
}

/**
 * The full-text search language (SEARCH_LANGUAGE, a PostgreSQL text search configuration).
 *
 * At start-up it checks that the database knows the configuration (a typo stops the gateway with a
 * configuration error) and records it in `search_settings`, the default of `messages.search_language`:
 * from then on every new message is indexed in it. When the language changed, the messages written
 * before are re-indexed in the background, in batches along the primary key, the position kept in
 * `search_settings` so that a restart continues where the last instance stopped and two instances
 * never work at once (the settings row is locked per batch). Until it finishes, older messages only
 * match words both configurations index alike.
 */
@Injectable()
export class SearchLanguage implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SearchLanguage.name);
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly stop = new AbortController();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** The configuration searches use; the same as new messages are indexed in. */
  get language(): string {
    return this.config.search.language;
  }

  async onModuleInit(): Promise<void> {
    const language = await this.resolve(this.config.search.language);
    // an UPDATE answers [rows, count] through TypeORM
    const [[changed]]: [Array<{ previous: string }>, number] = await this.dataSource.query(
      `UPDATE search_settings s
          SET language = $1::regconfig, reindexing = true, reindex_after = NULL, updated_at = now()
         FROM (SELECT language::text AS previous FROM search_settings FOR UPDATE) old
        WHERE s.language <> $1::regconfig
       RETURNING old.previous`,
      [language],
    );
    if (changed) this.logger.warn(`search language changed from ${changed.previous} to ${language}: older messages are re-indexed in the background`);
  }

  onApplicationBootstrap(): void {
    this.running = this.reindex().catch((error: unknown) =>
      this.logger.error(`search re-index stopped: ${error instanceof Error ? error.message : String(error)}; it continues at the next start`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stop.abort();
    await this.running;
  }

  /** Resolves once no message is left in another language (tests, and the README's promise). */
  async reindexed(): Promise<void> {
    await this.running;
  }

  /** The configuration's canonical name, or a ConfigError naming the ones the database has. */
  private async resolve(name: string): Promise<string> {
    try {
      const [row]: Array<{ name: string }> = await this.dataSource.query(`SELECT $1::regconfig::text AS name`, [name]);
      return row!.name;
    } catch (error) {
      if ((error as { code?: string }).code !== '42704') throw error; // undefined_object
      const known: Array<{ name: string }> = await this.dataSource.query(`SELECT oid::regconfig::text AS name FROM pg_ts_config ORDER BY 1`);
      throw new ConfigError(
        `Invalid configuration: SEARCH_LANGUAGE must name a text search configuration of the database (got "${name}"; it has ${known.map((k) => k.name).join(', ')})`,
      );
    }
  }

  private async reindex(): Promise<void> {
    let done = 0;
    const started = Date.now();
    while (!this.stopped) {
      const step = await this.dataSource.transaction(async (em) => {
        const [settings]: Settings[] = await em.query(
          `SELECT language::text AS language, reindex_after, reindexing FROM search_settings FOR UPDATE SKIP LOCKED`,
        );
        if (!settings) return 'busy' as const; // another instance holds the row: it is re-indexing
        if (!settings.reindexing) return 'idle' as const;
        const [batch]: Array<{ last: string | null; updated: number }> = await em.query(
          `WITH batch AS (SELECT id FROM messages WHERE $2::uuid IS NULL OR id > $2::uuid ORDER BY id LIMIT ${REINDEX_BATCH}),
                updated AS (UPDATE messages m SET search_language = $1::regconfig
                               FROM batch WHERE m.id = batch.id AND m.search_language <> $1::regconfig RETURNING 1)
           SELECT (SELECT id FROM batch ORDER BY id DESC LIMIT 1) AS last, (SELECT count(*)::int FROM updated) AS updated`,
          [settings.language, settings.reindex_after],
        );
        done += batch!.updated;
        if (batch!.last) {
          await em.query(`UPDATE search_settings SET reindex_after = $1 WHERE singleton`, [batch!.last]);
          return 'more' as const;
        }
        // End of the table. A message written in the old language by a transaction that began before
        // the change but committed behind the position would be missed: one last look for any.
        const [left]: Array<{ any: boolean }> = await em.query(
          `SELECT EXISTS (SELECT 1 FROM messages WHERE search_language <> $1::regconfig) AS any`,
          [settings.language],
        );
        await em.query(`UPDATE search_settings SET reindex_after = NULL, reindexing = $1, updated_at = now() WHERE singleton`, [left!.any]);
        if (left!.any) return 'more' as const;
        this.logger.log(`search re-index in ${settings.language} finished: ${done} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return 'idle' as const;
      });
      if (step === 'idle') return;
      await sleep(step === 'busy' ? REINDEX_WAIT_MS : REINDEX_PAUSE_MS, undefined, { signal: this.stop.signal }).catch(() => undefined);
    }
  }
}
