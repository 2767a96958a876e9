import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __omnigatePg?: { stop(): Promise<void> } }).__omnigatePg;
  if (!pg) return;
  await pg.stop();
  if (process.env.OMNIGATE_TEST_PG_DIR) await rm(process.env.OMNIGATE_TEST_PG_DIR, { recursive: true, force: true });
}
