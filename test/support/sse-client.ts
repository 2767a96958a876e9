import { request } from 'node:http';
import { waitFor } from './wait-for';

export interface SseEvent {
  id: string;
  event: string;
  data: { id: string; type: string; roomId: string; data: Record<string, unknown> };
}

/** A minimal SSE reader over node:http, for tests: collects events and comments. */
export class SseClient {
  readonly events: SseEvent[] = [];
  /** events without an id (not from the event log), such as `session.ended` */
  readonly notices: Array<{ event: string; data: Record<string, unknown> }> = [];
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  /** the server ended the response */
  ended = false;
  raw = '';
  private buffer = '';
  private closeFn: () => void = () => undefined;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    await new Promise<void>((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        client.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.feed(chunk));
        res.on('end', () => (client.ended = true));
        resolve();
      });
      req.on('error', reject);
      client.closeFn = () => req.destroy();
      req.end();
    });
    return client;
  }

  private feed(chunk: string): void {
    this.raw += chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const i = line.indexOf(':');
        if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
      }
      if (fields.data !== undefined && fields.id !== undefined) {
        this.events.push({ id: fields.id, event: fields.event ?? 'message', data: JSON.parse(fields.data) as SseEvent['data'] });
      } else if (fields.data !== undefined) {
        this.notices.push({ event: fields.event ?? 'message', data: JSON.parse(fields.data) as Record<string, unknown> });
      }
    }
  }

  async waitForEvents(count: number, timeoutMs = 10_000): Promise<SseEvent[]> {
    await waitFor(() => this.events.length, (n) => n >= count, timeoutMs);
    return this.events;
  }

  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.ended, Boolean, timeoutMs);
  }

  close(): void {
    this.closeFn();
  }
}
