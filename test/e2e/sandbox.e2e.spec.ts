import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/wait-for';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');

interface Sandbox {
  child: ChildProcess;
  out: () => string;
  og: string;
  consoleUrl: string;
  /** the admin key the banner shows (the first start only) */
  key?: string;
}

/** `npm run sandbox` as a person runs it, in a process group of its own like a terminal's job. */
async function startSandbox(dataDir: string, args: string[] = []): Promise<Sandbox> {
  let out = '';
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), 'tools/sandbox.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', SIM_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out, (o) => o.includes('Ctrl-C stops both') || child.exitCode !== null, 90_000);
  if (!out.includes('Ctrl-C stops both')) throw new Error(`the sandbox did not start:\n${out}`);
  return {
    child,
    out: () => out,
    og: /Swagger UI\s+(http:\/\/\S+)\/docs/.exec(out)![1]!,
    consoleUrl: /Agent console\s+(http:\/\/\S+)/.exec(out)![1]!,
    key: /API key \(admin\)\s+(og_\S+)/.exec(out)?.[1],
  };
}

/** Ctrl-C: the terminal sends SIGINT to the whole foreground process group. */
async function ctrlC(s: Sandbox): Promise<number | null> {
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  process.kill(-s.child.pid!, 'SIGINT');
  return exited;
}

/** Lines at pino's error level (50) or above, and the two messages a disorderly stop printed. */
function errorLines(out: string): string[] {
  return out.split('\n').filter((l) => /"level":(5|6)\d/.test(l) || /terminating connection due to administrator command|lost its connection/.test(l));
}

describe('npm run sandbox', () => {
  let dataDir: string;
  let s: Sandbox;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'omnigate-sandbox-'));
    s = await startSandbox(dataDir);
  });
  afterAll(async () => {
    if (s.child.exitCode === null) await ctrlC(s);
    await rm(dataDir, { recursive: true, force: true });
  });

  const api = async (og: string, key: string, method: string, path: string, body?: object): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${og}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const sim = async (method: string, path: string, body?: object): Promise<unknown> => {
    const res = await fetch(`${new URL(s.consoleUrl).origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status).toBe(200);
    return res.json();
  };

  it('prints the Swagger URL, the agent console URL and ONE working admin key', async () => {
    expect((await fetch(`${s.og}/docs`)).status).toBe(200);
    expect((await fetch(s.consoleUrl)).status).toBe(200);
    expect(s.out().match(/og_[\w-]{20,}/g)?.filter((k, i, all) => all.indexOf(k) === i)).toEqual([s.key]);
    const keys = await api(s.og, s.key!, 'GET', '/v1/api-keys');
    expect(keys.status).toBe(200);
    expect((keys.json.items as unknown[]).length).toBe(1);
  });

  it('shows a room opened through omnigate on the agent console, and delivers an agent reply made there to omnigate', async () => {
    const key = s.key!;
    expect((await api(s.og, key, 'POST', '/v1/visitors', { token: 'sandbox-visitor', name: 'Maria' })).status).toBe(201);
    const room = (await api(s.og, key, 'POST', '/v1/rooms', { visitorToken: 'sandbox-visitor' })).json as { id: string; rocketchatRoomId: string };
    const rooms = (await sim('GET', '/sim/rooms')) as Array<{ _id: string }>;
    expect(rooms.map((r) => r._id)).toContain(room.rocketchatRoomId);

    await sim('POST', `/sim/rooms/${room.rocketchatRoomId}/take`, { agent: 'ana.agent' });
    await sim('POST', `/sim/rooms/${room.rocketchatRoomId}/messages`, { agent: 'ana.agent', text: 'Olá Maria, como posso ajudar?' });
    // the simulator posted its webhook to omnigate with the shared token: omnigate stored the reply
    const messages = await waitFor(
      async () => ((await api(s.og, key, 'GET', `/v1/rooms/${room.id}/messages`)).json.items as Array<{ authorType: string; text: string }>) ?? [],
      (items) => items.some((m) => m.authorType === 'agent'),
      10_000,
    );
    expect(messages.find((m) => m.authorType === 'agent')).toMatchObject({ text: 'Olá Maria, como posso ajudar?' });
    const current = (await api(s.og, key, 'GET', `/v1/rooms/${room.id}`)).json;
    expect(current).toMatchObject({ status: 'open', agent: { username: 'ana.agent' } });
  });

  it('stops quietly on Ctrl-C, restarts with its data and no new key, and --reset starts over', async () => {
    const key = s.key!;
    expect(await ctrlC(s)).toBe(0);
    expect(errorLines(s.out())).toEqual([]);

    s = await startSandbox(dataDir);
    expect(s.key).toBeUndefined();
    expect(s.out()).not.toMatch(/og_[\w-]{20,}/);
    const keys = await api(s.og, key, 'GET', '/v1/api-keys');
    expect(keys.status).toBe(200);
    expect((keys.json.items as unknown[]).length).toBe(1);
    // omnigate kept the visitor while the restarted simulator starts empty
    expect((await api(s.og, key, 'GET', '/v1/visitors/sandbox-visitor')).status).toBe(200);
    expect(await ctrlC(s)).toBe(0);
    expect(errorLines(s.out())).toEqual([]);

    s = await startSandbox(dataDir, ['--reset']);
    expect(s.key).toMatch(/^og_/);
    expect(s.key).not.toBe(key);
    expect((await api(s.og, key, 'GET', '/v1/api-keys')).status).toBe(401);
    expect((await api(s.og, s.key!, 'GET', '/v1/visitors/sandbox-visitor')).status).toBe(404);
  });
});
