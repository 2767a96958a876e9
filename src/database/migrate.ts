import type { DataSource } from 'typeorm';

/** Arbitrary constant: the advisory lock that serialises migrations across gateway instances. */
const MIGRATION_LOCK = 0x6f6d6e69;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so N instances starting together
 * apply each migration once (TypeORM itself does not lock).
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
