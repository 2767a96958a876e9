/**
 * The load generator, run as its own process by bench/run.ts: autocannon with a per-request body
 * (distinct webhook message ids, rooms in round robin). Reads a JSON job from argv[2], prints the
 * result as one JSON line. With `cpu`, it reads the CPU ticks of the gateway and PostgreSQL right
 * before autocannon starts and when it is done (bench/support/cpu.ts).
 */
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { type CpuPerRequest, type CpuTargets, perRequest, snapshot } from './cpu';
import { webhookBody } from './scenarios';

export interface LoadJob {
  /** several: autocannon spreads the connections over them in turn (one histogram for all) */
  url: string | string[];
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
  /** webhook: write the message ids answered 2xx to this file (JSON array) */
  okIdsFile?: string;
  /** measure the CPU of these processes over the run */
  cpu?: CpuTargets;
}

export interface LoadResult {
  rps: number;
  p50: number;
  /** autocannon's histogram has no p95: p97.5 is reported, an upper bound of p95 */
  p97_5: number;
  p99: number;
  /** responses (2xx and not) */
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU per answered request, with `cpu` */
  cpu?: CpuPerRequest;
}

function run(job: LoadJob): Promise<LoadResult> {
  let n = 0;
  const prefix = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  const okIds: string[] = [];
  const request: autocannon.Request = {
    method: job.method,
    // the context is the connection's, fresh for each request, and the response is recorded before the next is built
    onResponse: job.okIdsFile ? (status, _body, context) => void (status >= 200 && status < 300 && okIds.push(context.id as string)) : undefined,
    setupRequest: (req: autocannon.Request, context: Record<string, unknown>) => {
      const i = n++;
      if (job.paths) return { ...req, path: job.paths[i % job.paths.length] };
      if (job.messageRooms) {
        return { ...req, path: `/v1/rooms/${job.messageRooms[i % job.messageRooms.length]}/messages`, body: JSON.stringify({ text: `bench message ${i} order ${100000 + (i % 900000)}` }) };
      }
      const w = job.webhook!;
      const id = `bench-${prefix}-${i}`;
      context.id = id;
      return { ...req, path: '/webhooks/rocketchat', body: JSON.stringify(webhookBody(w.template, w.rooms[i % w.rooms.length]!, id, `bench message ${i}`)) };
    },
  };
  return new Promise((resolve, reject) => {
    const before = job.cpu && snapshot(job.cpu);
    autocannon(
      { url: job.url, connections: job.connections, duration: job.durationSec, headers: job.headers, requests: [request], timeout: 10 },
      (error, result) => {
        if (error) return reject(error);
        const after = job.cpu && snapshot(job.cpu);
        if (job.okIdsFile) writeFileSync(job.okIdsFile, JSON.stringify(okIds));
        resolve({
          rps: result.requests.average,
          p50: result.latency.p50,
          p97_5: result.latency.p97_5,
          p99: result.latency.p99,
          requests: result.requests.total,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          cpu: before && after ? perRequest(before, after, result.requests.total) : undefined,
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
