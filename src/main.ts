import 'reflect-metadata';
import pino from 'pino';
import { createApp } from './app.factory';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { RunningPostgres, startEmbeddedPostgres } from './database/embedded-postgres';

/**
 * Starts omnigate: validates the configuration, starts the embedded PostgreSQL when DATABASE_URL
 * is unset, then serves HTTP. SIGINT/SIGTERM stop it in order: HTTP and workers, then PostgreSQL.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const logger = pino({ level: config.logLevel, base: { context: 'omnigate' } });
  let embedded: RunningPostgres | undefined;
  if (!config.database.url) {
    const started = Date.now();
    embedded = await startEmbeddedPostgres({
      dataDir: config.database.dataDir,
      log: (line) => logger.debug({ context: 'EmbeddedPostgres' }, line),
    });
    logger.info(`embedded PostgreSQL ready on 127.0.0.1:${embedded.port} (data in ${config.database.dataDir}) in ${Date.now() - started} ms`);
    config = { ...config, database: { ...config.database, url: embedded.url } };
  }

  const app = await createApp(config);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: shutting down`);
    try {
      await app.close();
    } finally {
      await embedded?.stop();
      process.exit(0);
    }
  };
  // Nest's shutdown hooks would re-raise the signal before PostgreSQL is stopped: we order it here.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.http.port, host: config.http.host });
  logger.info(`omnigate listening on ${await app.getUrl()} (docs at /docs)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`omnigate failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
