import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../support/wait-for';

const ROOT = join(__dirname, '..', '..', '..');

/** `npm run sandbox` in its own process, on free ports and a fresh DATA_DIR. */
export class SandboxProcess {
  output = '';
  /** undefined while running */
  exitCode: number | null | undefined;
  gatewayUrl = '';
  consoleUrl = '';
  apiKey = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
  ) {
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve((this.exitCode = code))));
  }

  static async start(timeoutMs = 90_000): Promise<SandboxProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'omnigate-browser-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', SIM_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'ts-node'), ['tools/sandbox.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sandbox = new SandboxProcess(child, dataDir);
    await sandbox.printed(timeoutMs);
    return sandbox;
  }

  /** An omnigate API call with the sandbox's admin key. */
  async api<T>(method: string, path: string, body?: object): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** Ctrl-C, as a developer stops it. The exit code; null when it had to be killed after `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<number | null> {
    if (this.exitCode === undefined) this.child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const outcome = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (outcome === 'late') this.child.kill('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
    return outcome === 'late' ? null : outcome;
  }

  /** Waits for the banner: the real URLs (ports were 0) and the admin key. */
  private async printed(timeoutMs: number): Promise<void> {
    const banner = (): { gatewayUrl?: string; consoleUrl?: string; apiKey?: string } => ({
      gatewayUrl: /Swagger UI\s+(http\S+)\/docs/.exec(this.output)?.[1],
      consoleUrl: /Agent console\s+(http\S+)/.exec(this.output)?.[1],
      apiKey: /API key \(admin\)\s+(og_\S+)/.exec(this.output)?.[1],
    });
    const seen = await waitFor(banner, (b) => this.exitCode !== undefined || Boolean(b.gatewayUrl && b.consoleUrl && b.apiKey), timeoutMs, 100);
    if (!seen.gatewayUrl || !seen.consoleUrl || !seen.apiKey) {
      await this.stop(5_000);
      throw new Error(`the sandbox did not start within ${timeoutMs} ms (exit code ${this.exitCode}):\n${this.output}`);
    }
    Object.assign(this, seen);
  }
}
