import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/wait-for';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');

/** `npm run sandbox` as a person runs it: the simulator and omnigate, wired to each other. */
describe('npm run sandbox', () => {
  let child: ChildProcess;
  let out = '';
  let dataDir: string;
  let og: string;
  let consoleUrl: string;
  let key: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'omnigate-sandbox-'));
    child = spawn(process.execPath, [join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), 'tools/sandbox.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', SIM_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out, (o) => o.includes('Ctrl-C stops both'), 60_000);
    og = /Swagger UI\s+(http:\/\/\S+)\/docs/.exec(out)![1]!;
    consoleUrl = /Agent console\s+(http:\/\/\S+)/.exec(out)![1]!;
    key = /API key \(admin\)\s+(og_\S+)/.exec(out)![1]!;
  });
  afterAll(async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: object): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${og}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const sim = async (method: string, path: string, body?: object): Promise<unknown> => {
    const res = await fetch(`${new URL(consoleUrl).origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status).toBe(200);
    return res.json();
  };

  it('prints the Swagger URL, the agent console URL and a working API key', async () => {
    expect((await fetch(`${og}/docs`)).status).toBe(200);
    expect((await fetch(consoleUrl)).status).toBe(200);
    expect((await api('GET', '/v1/api-keys')).status).toBe(200);
  });

  it('shows a room opened through omnigate on the agent console, and delivers an agent reply made there to omnigate', async () => {
    expect((await api('POST', '/v1/visitors', { token: 'sandbox-visitor', name: 'Maria' })).status).toBe(201);
    const room = (await api('POST', '/v1/rooms', { visitorToken: 'sandbox-visitor' })).json as { id: string; rocketchatRoomId: string };
    const rooms = (await sim('GET', '/sim/rooms')) as Array<{ _id: string }>;
    expect(rooms.map((r) => r._id)).toContain(room.rocketchatRoomId);

    await sim('POST', `/sim/rooms/${room.rocketchatRoomId}/take`, { agent: 'ana.agent' });
    await sim('POST', `/sim/rooms/${room.rocketchatRoomId}/messages`, { agent: 'ana.agent', text: 'Olá Maria, como posso ajudar?' });
    // the simulator posted its webhook to omnigate with the shared token: omnigate stored the reply
    const messages = await waitFor(
      async () => ((await api('GET', `/v1/rooms/${room.id}/messages`)).json.items as Array<{ authorType: string; text: string }>) ?? [],
      (items) => items.some((m) => m.authorType === 'agent'),
      10_000,
    );
    expect(messages.find((m) => m.authorType === 'agent')).toMatchObject({ text: 'Olá Maria, como posso ajudar?' });
    const current = (await api('GET', `/v1/rooms/${room.id}`)).json;
    expect(current).toMatchObject({ status: 'open', agent: { username: 'ana.agent' } });
  });
});
