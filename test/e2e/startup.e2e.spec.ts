import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayProcess, postgresPids } from '../support/gateway-process';
import { waitFor } from '../support/wait-for';

// generous: CI runs this beside CPU-heavy suites on 2 cores; start-up time itself is measured by `npm run bench`
jest.setTimeout(300_000);

describe('starting omnigate as `npm start` does', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'omnigate-start-'));
  });
  afterAll(async () => {
    for (const pid of postgresPids(dataDir)) process.kill(pid, 'SIGINT');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops on a bad variable with one line naming it and exit code 78', async () => {
    const gw = new GatewayProcess({ PORT: 'eighty', ROCKETCHAT_TIMEOUT_MS: '5', DATA_DIR: dataDir });
    expect(await gw.exited).toBe(78);
    expect(gw.stderr).toBe(
      'Invalid configuration: PORT must be an integer between 0 and 65535 (got "eighty"); ' +
        'ROCKETCHAT_TIMEOUT_MS must be an integer between 100 and 120000 (milliseconds) (got "5")\n',
    );
  });

  it('does not echo secret values in configuration errors', async () => {
    const gw = new GatewayProcess({ OMNIGATE_ADMIN_KEY: 'short-secret', DATA_DIR: dataDir });
    expect(await gw.exited).toBe(78);
    expect(gw.stderr).toBe('Invalid configuration: OMNIGATE_ADMIN_KEY must be at least 24 characters long\n');
  });

  it('starts on an embedded PostgreSQL, prints a generated admin key once, keeps data across restarts and leaves no postgres behind', async () => {
    const first = new GatewayProcess({ DATA_DIR: dataDir });
    const url = await first.listening();
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    const key = /^\s+(og_[\w-]{43})$/m.exec(first.stdout)?.[1];
    expect(key).toBeDefined();

    const created = await fetch(`${url}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept', scopes: ['chat:write'] }),
    });
    expect(created.status).toBe(201);
    // secrets never reach the log
    expect(first.stdout.split(key!).length).toBe(2);
    const logged = await waitFor(() => first.stdout, (out) => out.includes('"path":"/v1/api-keys"'));
    expect(logged).toContain('"authorization":"[redacted]"');

    expect(postgresPids(dataDir)).toHaveLength(1);
    first.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(postgresPids(dataDir)).toEqual([]);

    const second = new GatewayProcess({ DATA_DIR: dataDir });
    const url2 = await second.listening();
    expect(second.stdout).not.toContain('created an admin key');
    const list = await fetch(`${url2}/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: Array<{ name: string }> }).items.map((k) => k.name)).toEqual(['generated-admin', 'kept']);
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(postgresPids(dataDir)).toEqual([]);
  });

  it('stops with exit code 78 on a search language the database lacks, and leaves no postgres behind', async () => {
    const gw = new GatewayProcess({ DATA_DIR: dataDir, SEARCH_LANGUAGE: 'klingon' });
    expect(await gw.exited).toBe(78);
    expect(gw.stderr).toMatch(/^Invalid configuration: SEARCH_LANGUAGE must name a text search configuration of the database \(got "klingon"; it has .*english.*\)\n$/);
    expect(postgresPids(dataDir)).toEqual([]);
  });

  it('takes over a cluster whose gateway was killed with SIGKILL', async () => {
    const killed = new GatewayProcess({ DATA_DIR: dataDir });
    await killed.listening();
    killed.kill('SIGKILL');
    await killed.exited;
    expect(postgresPids(dataDir)).toHaveLength(1); // the orphan

    const next = new GatewayProcess({ DATA_DIR: dataDir });
    const url = await next.listening();
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    expect(await waitFor(() => postgresPids(dataDir).length, (n) => n === 1)).toBe(1);
    next.kill('SIGINT');
    expect(await next.exited).toBe(0);
    expect(postgresPids(dataDir)).toEqual([]);
  });
});
