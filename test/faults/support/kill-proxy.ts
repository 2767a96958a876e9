import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface KillProxyStats {
  connections: number;
  /** destroyed before the request reached the upstream */
  killedBefore: number;
  /** the upstream answered (and applied the request), the answer was destroyed on its way back */
  killedAfter: number;
}

/** Deterministic PRNG (mulberry32): a failing run is replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const rand = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A TCP proxy that kills a share of its connections: half of the killed ones before the request
 * reaches the upstream, half after the upstream answered (so the sender retries something the
 * upstream already applied). The webhook sender opens one connection per request.
 */
export class KillProxy {
  readonly stats: KillProxyStats = { connections: 0, killedBefore: 0, killedAfter: 0 };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly random: () => number;

  private constructor(
    private readonly upstreamPort: number,
    private readonly killShare: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.server = createServer((client) => this.handle(client));
  }

  static async start(upstreamPort: number, killShare: number, seed: number): Promise<KillProxy> {
    const proxy = new KillProxy(upstreamPort, killShare, seed);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private handle(client: Socket): void {
    this.track(client);
    this.stats.connections += 1;
    const kill = this.random() < this.killShare;
    const mode = kill ? (this.stats.connections % 2 === 0 ? 'before' : 'after') : 'pass';
    if (mode === 'before') {
      this.stats.killedBefore += 1;
      client.once('data', () => client.destroy());
      return;
    }
    const upstream = connect(this.upstreamPort, '127.0.0.1');
    this.track(upstream);
    client.pipe(upstream);
    if (mode === 'after') {
      this.stats.killedAfter += 1;
      upstream.once('data', () => {
        client.destroy();
        upstream.destroy();
      });
    } else {
      upstream.pipe(client);
    }
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
  }
}
