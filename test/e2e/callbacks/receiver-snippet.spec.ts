import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RocketChatSimulator } from '../../../tools/rocketchat-sim';
import { verifyOmnigateSignature } from '../../../src/callbacks/verify-signature.example';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

const SECRET = 'readme-snippet-secret-0123456789';

/** The README's receiver: verify the raw body before parsing, answer 401 to anything unsigned or stale. */
function startReceiver(seen: Array<{ status: number; event?: { id: string; type: string } }>): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      if (!verifyOmnigateSignature(SECRET, req.headers['omnigate-signature'] as string | undefined, rawBody)) {
        seen.push({ status: 401 });
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(rawBody.toString('utf8')) as { id: string; type: string };
      seen.push({ status: 204, event });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const sign = (secret: string, t: number, body: string): string => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
const now = (): number => Math.floor(Date.now() / 1000);

describe('the README receiver snippet (verifyOmnigateSignature)', () => {
  const body = JSON.stringify({ id: '7', type: 'room.closed', roomId: 'r', createdAt: new Date().toISOString(), data: {} });

  it('accepts what omnigate really sends', async () => {
    const sim = await RocketChatSimulator.start({ rateLimit: false });
    const t: TestApp = await startTestApp({ ROCKETCHAT_URL: sim.url, CALLBACK_ALLOW_PRIVATE_NETWORKS: 'true' });
    const seen: Array<{ status: number; event?: { id: string; type: string } }> = [];
    const server = await startReceiver(seen);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/omnigate`;
      await t.http.post('/v1/subscriptions').set('Authorization', t.admin).send({ url, events: ['message.created'], secret: SECRET }).expect(201);
      await t.http.post('/v1/visitors').set('Authorization', t.admin).send({ token: 'snippet-1' }).expect(201);
      const room = (await t.http.post('/v1/rooms').set('Authorization', t.admin).send({ visitorToken: 'snippet-1' }).expect(201)).body.id;
      await t.http.post(`/v1/rooms/${room}/messages`).set('Authorization', t.admin).send({ text: 'verify me' });
      await waitFor(() => seen, (s) => s.length >= 1, 15_000);
      expect(seen).toEqual([{ status: 204, event: expect.objectContaining({ type: 'message.created' }) }]);
    } finally {
      await new Promise((r) => server.close(r));
      await t.close();
      await sim.stop();
    }
  });

  it('accepts a fresh signature over the exact body, as a string or a Buffer', () => {
    const header = sign(SECRET, now(), body);
    expect(verifyOmnigateSignature(SECRET, header, body)).toBe(true);
    expect(verifyOmnigateSignature(SECRET, header, Buffer.from(body))).toBe(true);
  });

  it('rejects another secret, a changed body, a missing or malformed header', () => {
    const header = sign(SECRET, now(), body);
    expect(verifyOmnigateSignature('another-secret-0123456789', header, body)).toBe(false);
    expect(verifyOmnigateSignature(SECRET, header, body.replace('room.closed', 'room.taken'))).toBe(false);
    expect(verifyOmnigateSignature(SECRET, undefined, body)).toBe(false);
    expect(verifyOmnigateSignature(SECRET, 't=abc,v1=00', body)).toBe(false);
    expect(verifyOmnigateSignature(SECRET, `v1=${header.split('v1=')[1]}`, body)).toBe(false);
  });

  it('rejects a replay older than 5 minutes and a timestamp from the future', () => {
    expect(verifyOmnigateSignature(SECRET, sign(SECRET, now() - 301, body), body)).toBe(false);
    expect(verifyOmnigateSignature(SECRET, sign(SECRET, now() + 301, body), body)).toBe(false);
    expect(verifyOmnigateSignature(SECRET, sign(SECRET, now() - 250, body), body)).toBe(true);
    expect(verifyOmnigateSignature(SECRET, sign(SECRET, now() - 100, body), body, 60)).toBe(false);
  });
});
