import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * A dedicated embedded PostgreSQL run by postgres-main.ts: a real stop and start on one data dir
 * and port. `stopGraceMs` 0 (the default) plays an outage: stop() terminates the open sessions.
 */
export class PostgresProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
    readonly url: string,
    readonly port: number,
  ) {}

  static async start(dataDir: string, port = 0, options: { stopGraceMs?: number; timeoutMs?: number } = {}): Promise<PostgresProcess> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), 'test/support/postgres-main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PG_DATA_DIR: dataDir, PG_PORT: String(port), PG_STOP_GRACE_MS: String(options.stopGraceMs ?? 0) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const info = await new Promise<{ url: string; port: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within ${timeoutMs} ms: ${err}`)), timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { url: string; port: number });
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL exited with ${code}: ${err}`));
      });
    });
    return new PostgresProcess(child, exited, info.url, info.port);
  }

  /** A real shutdown (fast with stopGraceMs 0: PostgreSQL stops, its connections are closed). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}
