import { Client } from 'pg';
import { startTestApp, TestApp } from '../../support/test-app';
import { count, fixture, postWebhook, WEBHOOK_TOKEN } from './support';

/**
 * PostgreSQL stops accepting connections for omnigate's database mid-run (ALLOW_CONNECTIONS false,
 * the app's connections terminated): a delivery must fail with 5xx, so Rocket.Chat retries, and the
 * retry must land once the database is back.
 */
describe('POST /webhooks/rocketchat while the database is unavailable', () => {
  let t: TestApp;
  let admin: Client;
  let dbName: string;

  beforeAll(async () => {
    t = await startTestApp({ ROCKETCHAT_WEBHOOK_TOKEN: WEBHOOK_TOKEN, RECONCILE_INTERVAL_MS: '0' });
    admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    dbName = new URL(t.databaseUrl).pathname.slice(1);
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await t?.close();
  });

  async function cutOff(): Promise<void> {
    const { rows } = await t.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
    // every connection of the app; the test's own assertion client stays
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2', [dbName, rows[0]!.pid]);
  }

  it('answers 5xx and stores nothing, then applies the retry once the database is back', async () => {
    expect((await postWebhook(t, fixture('LivechatSessionStart'))).status).toBe(200);

    await cutOff();
    const failed = await postWebhook(t, fixture('Message-visitor'));
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.body).toMatchObject({ statusCode: failed.status });
    expect(await count(t.db, 'messages')).toBe(0);
    expect(await count(t.db, 'webhook_receipts')).toBe(1);

    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    const retried = await postWebhook(t, fixture('Message-visitor'));
    expect(retried.status).toBe(200);
    expect(await count(t.db, 'messages')).toBe(1);
    const { rows } = await t.db.query('SELECT event_type, outcome FROM webhook_receipts ORDER BY id');
    expect(rows).toEqual([
      { event_type: 'LivechatSessionStart', outcome: 'applied' },
      { event_type: 'Message', outcome: 'applied' },
    ]);
  });
});
