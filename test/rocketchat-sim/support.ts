import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RocketChatSimulator } from '../../tools/rocketchat-sim';

export const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

export type Json = Record<string, unknown>;

export function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'rocketchat', name), 'utf8')) as Json;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Value → type name, keeping keys and nesting: what two bodies must share to be "the same shape". */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Json).sort()) out[key] = shapeOf((value as Json)[key]);
    return out;
  }
  if (typeof value === 'string' && ISO_DATE.test(value)) return 'date-string';
  return typeof value;
}

/** A copy without the given keys at any depth (for keys CONTRACT-NOTES says newer Rocket.Chat adds). */
export function withoutKeys(value: unknown, keys: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutKeys(v, keys));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Json).filter(([k]) => !keys.includes(k)).map(([k, v]) => [k, withoutKeys(v, keys)]));
  }
  return value;
}

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** Rocket.Chat's REST API of a simulator, over real HTTP. */
export function restClient(sim: RocketChatSimulator) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  };
  return {
    call,
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    del: (path: string) => call('DELETE', path),
    registerVisitor: (visitor: Json) => call('POST', '/api/v1/livechat/visitor', { visitor }, { 'User-Agent': ANDROID_CHROME, 'X-Real-IP': '203.0.113.24' }),
    openRoom: async (token: string, extra = ''): Promise<Answer & { rid: string }> => {
      const answer = await call('GET', `/api/v1/livechat/room?token=${encodeURIComponent(token)}${extra}`);
      return { ...answer, rid: String((answer.body.room as Json | undefined)?._id) };
    },
    send: (token: string, rid: string, msg: string, _id?: string) => call('POST', '/api/v1/livechat/message', { token, rid, msg, _id }),
  };
}

/** The fixture story's visitor: department, email, phone and both custom fields. */
export const MARIA = {
  token: 'web-7f3c2a91-visitor',
  name: 'Maria Souza',
  email: 'maria@example.com',
  phone: '+5511987654321',
  department: 'dep-support',
  customFields: [
    { key: 'address', value: 'Rua Augusta 100', overwrite: true },
    { key: 'plan', value: 'gold', overwrite: true },
  ],
};

export interface Received {
  headers: IncomingHttpHeaders;
  body: Json;
  at: number;
}

export type Responder = (body: Json, n: number) => { status: number; body?: string } | 'hang';

/** A webhook endpoint for the simulator to call: records every request, answers as told. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  respond: Responder = () => ({ status: 200, body: '' });
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
        this.received.push({ headers: req.headers, body, at: Date.now() });
        const answer = this.respond(body, this.received.length);
        if (answer === 'hang') return void this.hanging.add(res);
        res.writeHead(answer.status, { 'Content-Type': 'text/plain' });
        res.end(answer.body ?? '');
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/rocketchat`;
  }

  types(): string[] {
    return this.received.map((r) => String(r.body.type));
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
