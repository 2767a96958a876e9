import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..');

/** omnigate started as `npm start` does (ts-node src/main.ts), in its own process. */
export class GatewayProcess {
  stdout = '';
  stderr = '';
  exitCode: number | null = null;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve((this.exitCode = code))));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the base URL once the gateway logged that it listens. */
  async listening(timeoutMs = 90_000): Promise<string> {
    const url = await waitFor(
      () => /omnigate listening on (http:\/\/[\d.:]+)/.exec(this.stdout)?.[1] ?? (this.exitCode !== null ? 'exited' : undefined),
      (v) => v !== undefined,
      timeoutMs,
    );
    if (!url || url === 'exited') throw new Error(`gateway did not start:\n${this.stdout}\n${this.stderr}`);
    return url;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** pids of postgres servers running on a data directory */
export function postgresPids(dataDir: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('bin/postgres') && l.includes(dataDir))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}
