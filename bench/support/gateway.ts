import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, freePort, httpOk, ROOT, spawnChild, spawnTs, until } from './processes';
import type { LoadJob, LoadResult } from './load';

export const ADMIN_KEY = 'og_bench-admin-key-0123456789abcdefghijkl';
export const WEBHOOK_TOKEN = 'bench-webhook-token-0123456789';
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

export interface Gateway {
  child: Child;
  url: string;
  /** spawn to /health/ready = 200 */
  readyMs: number;
}

/**
 * The built gateway (`node dist/src/main.js`), production-like: LOG_LEVEL=warn. With
 * BENCH_PROFILE_DIR, each gateway writes a V8 CPU profile there when it stops (--cpu-prof).
 */
export async function startGateway(env: Record<string, string>, timeoutMs = 60_000): Promise<Gateway> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const started = performance.now();
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const child = spawnChild(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, MAIN] : [MAIN], {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OMNIGATE_ADMIN_KEY: ADMIN_KEY,
    ROCKETCHAT_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    RECONCILE_INTERVAL_MS: '0',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await until(() => httpOk(`${url}/health/ready`), timeoutMs, child, 10);
  return { child, url, readyMs: performance.now() - started };
}

/** One autocannon run in its own process (bench/support/load.ts). */
export async function load(job: LoadJob): Promise<LoadResult> {
  const child = spawnTs('bench/support/load.ts', {}, [JSON.stringify(job)]);
  const code = await child.exited;
  const line = child.output().split('\n').find((l) => l.startsWith('{'));
  if (code !== 0 || !line) throw new Error(`load generator failed (${code}):\n${child.output()}`);
  return JSON.parse(line) as LoadResult;
}

/** A warm-up run (JIT, pools, caches; no CPU or id record), then the measured one. */
export async function measure(job: LoadJob, warmupSec = 2): Promise<LoadResult> {
  await warmUp(job, warmupSec);
  return load(job);
}

export async function warmUp(job: LoadJob, warmupSec = 2): Promise<LoadResult> {
  return load({ ...job, durationSec: warmupSec, cpu: undefined, okIdsFile: undefined });
}
