import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError } from '../config/app-config';

/** Messages re-indexed per transaction, and the pause between two (room for live traffic). */
export const REINDEX_BATCH = 2000;
const REINDEX_PAUSE_MS = 10;
/** How often an instance that found the re-index taken by another checks whether it is still going. */
const REINDEX_BUSY_MS = 5000;
/** How often the last step checks whether the transactions older than the change have ended. */
const REINDEX_SETTLE_MS = 200;

interface Settings {
  language: string;
  reindex_after: string | null;
  reindexing: boolean;
  /** every transaction older than the language change has ended */
  settled: boolean;
}

/** Serialises the re-index across instances (transaction-level advisory lock). */
const REINDEX_LOCK_SQL = `SELECT pg_try_advisory_xact_lock(hashtext('omnigate.search_reindex')) AS locked`;

/**
 * The full-text search language (SEARCH_LANGUAGE, a PostgreSQL text search configuration).
 *
 * At start-up it checks that the database knows the configuration (a typo stops the gateway with a
 * configuration error) and records it in `search_settings`, the default of `messages.search_language`:
 * from then on every new message is indexed in it. When the language changed, the messages written
 * before are re-indexed in the background, in batches along the primary key, the position kept in
 * `search_settings` so that a restart continues where the last instance stopped; an advisory lock
 * keeps two instances from working at once. Until it finishes, older messages only match words both
 * configurations index alike.
 *
 * The last step waits until every transaction older than the change has ended, then looks for any
 * message still in another language (one such transaction may have written it behind the position)
 * and starts over if there is one. A single statement that began before the change but wrote its
 * first row after it is not seen by that wait; should it also outlast the whole re-index, its rows
 * keep the previous language until the language is set again.
 */
@Injectable()
export class SearchLanguage implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SearchLanguage.name);
  private running: Promise<void> | undefined;
  private readonly stop = new AbortController();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  private resolved: string | undefined;

  /** The configuration searches use; the same as new messages are indexed in (known from start-up on). */
  get language(): string {
    if (!this.resolved) throw new Error('the search language is read before start-up resolved it');
    return this.resolved;
  }

  async onModuleInit(): Promise<void> {
    const language = await this.resolve(this.config.search.language);
    this.resolved = language;
    // upsert: a deleted settings row comes back; an unchanged language changes nothing. `old` is read
    // in the statement's snapshot, so it is the row as it was (a FOR UPDATE there would see nothing)
    const [row]: Array<{ previous: string | null } | undefined> = await this.dataSource.query(
      `WITH old AS (SELECT language FROM search_settings)
       INSERT INTO search_settings (singleton, language, changed_xid, reindexing)
       VALUES (true, $1, pg_current_xact_id(), true)
       ON CONFLICT (singleton) DO UPDATE
          SET language = EXCLUDED.language, changed_xid = EXCLUDED.changed_xid, reindexing = true, reindex_after = NULL, updated_at = now()
        WHERE search_settings.language IS DISTINCT FROM EXCLUDED.language
       RETURNING (SELECT language FROM old) AS previous`,
      [language],
    );
    if (row) this.logger.warn(`search language set to ${language}${row.previous ? ` (was ${row.previous})` : ''}: older messages are re-indexed in the background`);
  }

  onApplicationBootstrap(): void {
    this.running = this.reindex().catch((error: unknown) =>
      this.logger.error(`search re-index stopped: ${error instanceof Error ? error.message : String(error)}; it continues at the next start`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.running;
  }

  /** Resolves once no message is left in another language (tests, and the README's promise). */
  async reindexed(): Promise<void> {
    await this.running;
  }

  /**
   * The configuration's name as stored: schema-qualified unless it lives in pg_catalog (always on the
   * search path), so that any session resolves it alike. A built-in configuration named without a
   * schema (`simple`, `english`) means its accent-folding copy `<name>_unaccent` (migration
   * AccentInsensitiveSearch); `pg_catalog.simple` names the built-in one itself. A ConfigError
   * names the ones the database has.
   */
  private async resolve(name: string): Promise<string> {
    try {
      const [row]: Array<{ name: string }> = await this.dataSource.query(
        `SELECT CASE WHEN n.nspname = 'pg_catalog' THEN quote_ident(c.cfgname) ELSE quote_ident(n.nspname) || '.' || quote_ident(c.cfgname) END AS name
           FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
          WHERE c.oid = COALESCE(
                  (SELECT f.oid FROM pg_ts_config b JOIN pg_ts_config f ON f.cfgname = b.cfgname || '_unaccent'
                    WHERE b.oid = $1::text::regconfig AND b.cfgnamespace = 'pg_catalog'::regnamespace AND strpos($1::text, '.') = 0
                      AND f.cfgnamespace = quote_ident(current_schema())::regnamespace),
                  $1::text::regconfig)`,
        [name],
      );
      return row!.name;
    } catch (error) {
      // undefined_object (no such configuration), invalid_schema_name (no such schema)
      if (!['42704', '3F000'].includes((error as { code?: string }).code ?? '')) throw error;
      const known: Array<{ name: string }> = await this.dataSource.query(`SELECT oid::regconfig::text AS name FROM pg_ts_config ORDER BY 1`);
      throw new ConfigError(
        `Invalid configuration: SEARCH_LANGUAGE must name a text search configuration of the database (got "${name}"; it has ${known.map((k) => k.name).join(', ')})`,
      );
    }
  }

  private async reindex(): Promise<void> {
    let done = 0;
    const started = Date.now();
    while (!this.stop.signal.aborted) {
      const step = await this.dataSource.transaction(async (em) => {
        const [lock]: Array<{ locked: boolean }> = await em.query(REINDEX_LOCK_SQL);
        if (!lock!.locked) return 'busy' as const; // another instance is re-indexing
        const [settings]: Settings[] = await em.query(
          `SELECT language, reindex_after, reindexing,
                  changed_xid IS NULL OR changed_xid < pg_snapshot_xmin(pg_current_snapshot()) AS settled
             FROM search_settings FOR UPDATE`,
        );
        if (!settings?.reindexing) return 'idle' as const;
        const [batch]: Array<{ last: string | null; updated: number }> = await em.query(
          `WITH batch AS (SELECT id FROM messages WHERE $2::uuid IS NULL OR id > $2::uuid ORDER BY id LIMIT ${REINDEX_BATCH}),
                updated AS (UPDATE messages m SET search_language = $1
                               FROM batch WHERE m.id = batch.id AND m.search_language IS DISTINCT FROM $1 RETURNING 1)
           SELECT (SELECT id FROM batch ORDER BY id DESC LIMIT 1) AS last, (SELECT count(*)::int FROM updated) AS updated`,
          [settings.language, settings.reindex_after],
        );
        done += batch!.updated;
        if (batch!.last) {
          await em.query(`UPDATE search_settings SET reindex_after = $1 WHERE singleton`, [batch!.last]);
          return 'more' as const;
        }
        // End of the table: once older transactions are over, nothing can still write the old language.
        if (!settings.settled) return 'settling' as const;
        const [left]: Array<{ any: boolean }> = await em.query(
          `SELECT EXISTS (SELECT 1 FROM messages WHERE search_language IS DISTINCT FROM $1) AS any`,
          [settings.language],
        );
        await em.query(`UPDATE search_settings SET reindex_after = NULL, reindexing = $1, updated_at = now() WHERE singleton`, [left!.any]);
        if (left!.any) return 'more' as const;
        this.logger.log(`search re-index in ${settings.language} finished: ${done} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return 'idle' as const;
      });
      if (step === 'idle') return;
      const pause = step === 'busy' ? REINDEX_BUSY_MS : step === 'settling' ? REINDEX_SETTLE_MS : REINDEX_PAUSE_MS;
      await sleep(pause, undefined, { signal: this.stop.signal }).catch(() => undefined);
    }
  }
}
