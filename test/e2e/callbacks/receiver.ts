import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedCallback {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string; roomId: string; createdAt: string; data: Record<string, unknown> };
  at: number;
}

/** How the receiver answers its n-th request (1-based): a status, or 'hang' to never answer. */
export type Answer = (n: number, request: { headers: IncomingHttpHeaders; rawBody: string }) => number | 'hang';

/** A subscriber's endpoint: records every callback (raw body kept for signature checks). */
export class Receiver {
  readonly received: ReceivedCallback[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(answer: Answer = () => 200): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        receiver.received.push({ headers: req.headers, rawBody, body: JSON.parse(rawBody) as ReceivedCallback['body'], at: Date.now() });
        const status = answer(receiver.received.length, { headers: req.headers, rawBody });
        if (status === 'hang') receiver.hanging.add(res);
        else res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
      });
    });
    return receiver;
  }

  forRoom(roomId: string): ReceivedCallback[] {
    return this.received.filter((r) => r.body.roomId === roomId);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
