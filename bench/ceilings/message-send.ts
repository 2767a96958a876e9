/**
 * Ceiling of scenario 2: bare Fastify that INSERTs the visitor message, then calls the simulator's
 * livechat message endpoint (keep-alive), then answers. No auth, no validation, no queue.
 *   CEILING_PORT, DATABASE_URL, ROCKETCHAT_URL, ROOMS_FILE (JSON [{ id, rocketchatRoomId, token }]), POOL_SIZE
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
  await pool.query(`CREATE TABLE IF NOT EXISTS ceiling_message (id uuid PRIMARY KEY, room_id text NOT NULL, text text NOT NULL, sent_at timestamptz NOT NULL DEFAULT now())`);
  const rooms = new Map((JSON.parse(readFileSync(process.env.ROOMS_FILE!, 'utf8')) as Array<{ id: string; rocketchatRoomId: string; token: string }>).map((r) => [r.id, r]));
  const rc = process.env.ROCKETCHAT_URL;
  const app = Fastify({ logger: false });
  app.post('/v1/rooms/:id/messages', async (req, reply) => {
    const room = rooms.get((req.params as { id: string }).id);
    if (!room) return reply.code(404).send({});
    const text = (req.body as { text: string }).text;
    const id = randomUUID();
    await pool.query('INSERT INTO ceiling_message (id, room_id, text) VALUES ($1, $2, $3)', [id, room.id, text]);
    const res = await fetch(`${rc}/api/v1/livechat/message`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: room.token, rid: room.rocketchatRoomId, msg: text, _id: id }),
    });
    await res.arrayBuffer();
    return reply.code(res.ok ? 201 : 502).send({ id, deliveryStatus: res.ok ? 'sent' : 'pending' });
  });
  await app.listen({ port: Number(process.env.CEILING_PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write(`ceiling listening on ${(app.server.address() as { port: number }).port}\n`);
  process.once('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
}

void main();
