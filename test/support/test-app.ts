import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { connect, createTestDatabase } from './database';

export const TEST_ADMIN_KEY = 'og_test-admin-key-0123456789abcdefghijklmnop';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  /** Authorization header value of the bootstrap admin key */
  admin: string;
  databaseUrl: string;
  db: Client;
  close(): Promise<void>;
  /** stops the app but keeps its database (to start another app on it) */
  stop(): Promise<void>;
}

/**
 * The real gateway on a fresh database of the test PostgreSQL, migrations applied at start-up,
 * driven over HTTP with supertest. `env` overrides configuration variables.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { databaseUrl?: string } = {}): Promise<TestApp> {
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    RECONCILE_INTERVAL_MS: '0',
    DELIVERY_RETRY_BASE_MS: '100',
    DELIVERY_RETRY_MAX_MS: '500',
    OMNIGATE_ADMIN_KEY: TEST_ADMIN_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ROCKETCHAT_URL: 'http://127.0.0.1:9',
    ...env,
  });
  const app = await createApp(config, { silent: config.logLevel === 'silent' });
  try {
    await app.init();
  } catch (error) {
    // what started before the failing hook (pool, queue, LISTEN connection) must stop with it
    await app.close().catch(() => undefined);
    await database.drop();
    throw error;
  }
  await app.getHttpAdapter().getInstance().ready();
  const db = await connect(database.url);
  return {
    app,
    http: request(app.getHttpServer()),
    admin: `Bearer ${TEST_ADMIN_KEY}`,
    databaseUrl: database.url,
    db,
    close: async () => {
      await db.end();
      await app.close();
      await database.drop();
    },
    stop: async () => {
      await db.end();
      await app.close();
    },
  };
}
