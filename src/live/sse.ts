import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveEvent } from './event-log';

/** Writes Server-Sent Events on a hijacked Fastify reply; the caller ends it with `close`. */
export class SseStream {
  private heartbeat?: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {}

  open(heartbeatMs: number, onClose: () => void): void {
    this.reply.hijack();
    this.reply.raw.writeHead(200, {
      // what the hooks set so far (CORS above all): a hijacked reply no longer sends them by itself
      ...(this.reply.getHeaders() as Record<string, string | string[]>),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx and friends would otherwise buffer the stream
      'X-Accel-Buffering': 'no',
      'x-request-id': String(this.request.id),
    });
    // clients reconnect after 2 s and send Last-Event-ID: they get what they missed
    this.reply.raw.write('retry: 2000\n: connected\n\n');
    // comments keep proxies from closing an idle connection
    this.heartbeat = setInterval(() => this.reply.raw.write(': ping\n\n'), heartbeatMs);
    this.request.raw.on('close', () => {
      this.end();
      onClose();
    });
  }

  send(event: LiveEvent): void {
    if (this.ended) return;
    const data = JSON.stringify({ id: event.id, type: event.type, roomId: event.roomId, createdAt: event.createdAt, data: event.data });
    this.reply.raw.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${data}\n\n`);
  }

  /** An event that is not in the event log (no id: a resume never replays it), such as `session.ended`. */
  notice(type: string, data: Record<string, unknown>): void {
    if (this.ended) return;
    this.reply.raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    this.reply.raw.end();
  }
}
