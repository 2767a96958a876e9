import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresProcess } from '../support/postgres-process';

jest.setTimeout(90_000);

/**
 * The embedded PostgreSQL's stop(): a smart shutdown first, so sessions that are closing (a pool
 * that has just ended) finish unharmed instead of being terminated; a fast one after the grace.
 */
describe('embedded PostgreSQL stop()', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'omnigate-embedded-stop-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const connect = async (url: string): Promise<{ client: Client; errors: string[] }> => {
    const errors: string[] = [];
    const client = new Client({ connectionString: url });
    client.on('error', (error) => errors.push(error.message));
    await client.connect();
    return { client, errors };
  };

  it('lets an open session finish and end by itself, refusing new ones meanwhile', async () => {
    const pg = await PostgresProcess.start(dataDir, 0, { stopGraceMs: 20_000 });
    const { client, errors } = await connect(pg.url);
    const stopped = pg.stop();
    await new Promise((r) => setTimeout(r, 500));

    // the open session still works; a new one is refused while PostgreSQL shuts down
    expect((await client.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
    await expect(connect(pg.url)).rejects.toThrow(/shutting down/);

    const started = Date.now();
    await client.end();
    await stopped;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(errors).toEqual([]);
  });

  it('ends a session that stays open once the grace is over', async () => {
    const pg = await PostgresProcess.start(dataDir, 0, { stopGraceMs: 1_000 });
    const { errors } = await connect(pg.url);
    const started = Date.now();
    await pg.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await new Promise((r) => setTimeout(r, 100));
    expect(errors.join(' ')).toMatch(/terminating connection due to administrator command|Connection terminated/);
  });
});
