/**
 * Ceiling of scenario 1: bare Fastify + one plain INSERT per request on the same PostgreSQL.
 * It checks the token header and stores the message row; nothing else (no dedupe, no room lookup).
 *   CEILING_PORT, DATABASE_URL, WEBHOOK_TOKEN, POOL_SIZE
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
  await pool.query(`CREATE TABLE IF NOT EXISTS ceiling_webhook (id text PRIMARY KEY, rid text NOT NULL, msg text, ts timestamptz, payload jsonb NOT NULL)`);
  const token = process.env.WEBHOOK_TOKEN;
  const app = Fastify({ logger: false });
  app.post('/webhooks/rocketchat', async (req, reply) => {
    if (req.headers['x-rocketchat-livechat-token'] !== token) return reply.code(401).send({ ok: false });
    const body = req.body as { _id: string; messages: Array<{ _id: string; msg: string; ts: string }> };
    const m = body.messages[0]!;
    await pool.query('INSERT INTO ceiling_webhook (id, rid, msg, ts, payload) VALUES ($1, $2, $3, $4, $5)', [m._id, body._id, m.msg, m.ts, body]);
    return { ok: true };
  });
  await app.listen({ port: Number(process.env.CEILING_PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write(`ceiling listening on ${(app.server.address() as { port: number }).port}\n`);
  process.once('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
}

void main();
