/**
 * The load generator, run as its own process by bench/run.ts: autocannon with a per-request body
 * (distinct webhook message ids, rooms in round robin). Reads a JSON job from argv[2], prints the
 * result as one JSON line.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  connections: number;
  durationSec: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** GET: paths in round robin */
  paths?: string[];
  /** POST /v1/rooms/:id/messages on these room ids, round robin */
  messageRooms?: string[];
  /** POST a webhook Message event: this template, a fresh messages[0]._id each time, rooms round robin */
  webhook?: { template: Record<string, unknown>; rooms: string[] };
}

export interface LoadResult {
  rps: number;
  p50: number;
  /** autocannon's histogram has no p95: p97.5 is reported, an upper bound of p95 */
  p97_5: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function run(job: LoadJob): Promise<LoadResult> {
  let n = 0;
  const prefix = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  const request: autocannon.Request = {
    method: job.method,
    setupRequest: (req: autocannon.Request) => {
      const i = n++;
      if (job.paths) return { ...req, path: job.paths[i % job.paths.length] };
      if (job.messageRooms) {
        return { ...req, path: `/v1/rooms/${job.messageRooms[i % job.messageRooms.length]}/messages`, body: JSON.stringify({ text: `bench message ${i} order ${100000 + (i % 900000)}` }) };
      }
      const w = job.webhook!;
      const rid = w.rooms[i % w.rooms.length]!;
      const template = w.template as { messages: Array<Record<string, unknown>> };
      const ts = new Date().toISOString();
      const body = { ...w.template, _id: rid, messages: [{ ...template.messages[0], _id: `bench-${prefix}-${i}`, rid, msg: `bench message ${i}`, ts, _updatedAt: ts }] };
      return { ...req, path: '/webhooks/rocketchat', body: JSON.stringify(body) };
    },
  };
  return new Promise((resolve, reject) => {
    autocannon(
      { url: job.url, connections: job.connections, duration: job.durationSec, headers: job.headers, requests: [request], timeout: 10 },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          rps: result.requests.average,
          p50: result.latency.p50,
          p97_5: result.latency.p97_5,
          p99: result.latency.p99,
          requests: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
  });
}

run(JSON.parse(process.argv[2]!) as LoadJob).then(
  (r) => process.stdout.write(JSON.stringify(r) + '\n'),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
