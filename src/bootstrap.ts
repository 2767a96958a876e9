import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { createApp } from './app.factory';
import { ApiKeysService } from './auth/api-keys.service';
import { AppConfig } from './config/app-config';
import { RunningPostgres, startEmbeddedPostgres } from './database/embedded-postgres';

export interface RunningGateway {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  /** the admin key created at this start because no key existed (show it once), else undefined */
  generatedAdminKey?: string;
  /** HTTP, workers and pool first, then the embedded PostgreSQL */
  stop(): Promise<void>;
}

/**
 * Starts the gateway: the embedded PostgreSQL when DATABASE_URL is unset (data in DATA_DIR), then
 * the app, listening. Shared by `npm start` (src/main.ts) and `npm run sandbox`.
 */
export async function startGateway(base: AppConfig): Promise<RunningGateway> {
  const logger = pino({ level: base.logLevel, base: { context: 'omnigate' } });
  let config = base;
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
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(config);
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (error) {
    // a failing start-up hook leaves what started before it running (pool, queue): stop it first
    await app?.close().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  logger.info(`omnigate listening on ${url} (docs at /docs)`);
  let stopping: Promise<void> | undefined;
  return {
    app,
    url,
    config,
    generatedAdminKey: app.get(ApiKeysService).takeGeneratedAdminKey(),
    stop: () =>
      (stopping ??= (async () => {
        try {
          await app.close();
        } catch (error) {
          logger.error(`shutdown hook failed: ${error instanceof Error ? error.message : String(error)}`);
          throw error;
        } finally {
          await embedded?.stop();
        }
      })()),
  };
}
