import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Reply, RequestContext } from './router';

export type RequestHandler = (ctx: RequestContext, res: ServerResponse) => Promise<void>;

/**
 * The listening socket and its connections. `refuse(true)` really stops listening (clients get
 * ECONNREFUSED) and drops open connections; `refuse(false)` listens again on the same port.
 */
export class SimHttpServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private bound: { port: number; host: string } | undefined;
  private listening = false;

  constructor(
    handle: RequestHandler,
    private readonly maxBodyBytes: number,
  ) {
    this.server = createServer((req, res) => {
      void readBody(req, this.maxBodyBytes).then(({ body, truncated }) => handle(contextOf(req, body, truncated), res));
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  address(): { port: number; host: string } {
    if (!this.bound) throw new Error('the simulator is not listening');
    return this.bound;
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.bound = { port: (this.server.address() as AddressInfo).port, host };
    this.listening = true;
  }

  async refuse(on: boolean): Promise<void> {
    if (on && this.listening) await this.close();
    else if (!on && !this.listening && this.bound) await this.listen(this.bound.port, this.bound.host);
  }

  /** Stops listening and destroys every connection, including answers held back on purpose. */
  async close(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

function readBody(req: IncomingMessage, max: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    req.on('data', (chunk: Buffer) => {
      if (truncated) return;
      size += chunk.length;
      if (size > max) truncated = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), truncated }));
    req.on('error', () => resolve({ body: Buffer.concat(chunks), truncated: true }));
  });
}

function contextOf(req: IncomingMessage, rawBody: Buffer, bodyTruncated: boolean): RequestContext {
  const url = new URL(req.url ?? '/', 'http://sim.local');
  let body: unknown;
  const type = req.headers['content-type'] ?? '';
  if (rawBody.length && type.includes('json')) {
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      body = undefined;
    }
  }
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    params: {},
    query: url.searchParams,
    headers: req.headers,
    ip: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    rawBody,
    bodyTruncated,
    body,
  };
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | Buffer;
  if (reply.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(reply.json);
  } else {
    headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
    payload = reply.raw ?? reply.text ?? '';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
