import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * ONE real PostgreSQL for the whole run (or TEST_DATABASE_URL, a maintenance-database URL of a
 * server you run). Each test file creates its own database on it (test/support/database.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dataDir = await mkdtemp(join(tmpdir(), 'omnigate-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir, ephemeral: true, database: 'omnigate_test' });
  process.env.TEST_DATABASE_URL = pg.adminUrl;
  process.env.OMNIGATE_TEST_PG_DIR = dataDir;
  (globalThis as { __omnigatePg?: typeof pg }).__omnigatePg = pg;
}
