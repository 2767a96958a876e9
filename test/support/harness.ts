import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import type { SimulatorOptions } from '../../tools/rocketchat-sim';
import { startTestApp, TestApp } from './test-app';

export const HARNESS_WEBHOOK_TOKEN = 'harness-webhook-token-0123456789';

export interface HarnessOptions {
  /** the Rocket.Chat version the simulator plays (default: the simulator's, the newest 8.x) */
  version?: string;
  /** wire the simulator's Omnichannel webhook to the gateway (the gateway then listens on a port); an object tunes the sender */
  webhook?: boolean | { token?: string; httpTimeoutMs?: number; retryDelayMs?: number };
  /** listen on a port without the webhook (streams, a second instance) */
  listen?: boolean;
  /** gateway configuration variables */
  env?: Record<string, string>;
  sim?: Omit<SimulatorOptions, 'version'>;
}

export interface Harness {
  /** replaceable: a test restarting Rocket.Chat puts the new simulator here */
  sim: RocketChatSimulator;
  /** replaceable: a test restarting the gateway puts the running app here */
  t: TestApp;
  /** the gateway's base URL when it listens (webhook or listen) */
  url?: string;
  post(path: string, body?: object): ReturnType<TestApp['http']['post']>;
  get(path: string): ReturnType<TestApp['http']['get']>;
  /** a registered visitor (POST /v1/visitors) with a fresh token */
  visitor(fields?: Record<string, unknown>): Promise<{ token: string; id: string }>;
  /** a registered visitor and its new room (POST /v1/rooms) */
  room(fields?: { visitor?: Record<string, unknown>; departmentId?: string }): Promise<{ id: string; rocketchatRoomId: string; token: string }>;
  close(): Promise<void>;
}

let tokens = 0;

/**
 * The gateway on a fresh database, talking over real HTTP to a simulator of the chosen Rocket.Chat
 * version, optionally with the simulator's webhook posted back to the gateway.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await RocketChatSimulator.start({ rateLimit: false, ...options.sim, ...(options.version ? { version: options.version } : {}) });
  const webhook = options.webhook === true ? {} : options.webhook || undefined;
  const webhookToken = webhook?.token ?? HARNESS_WEBHOOK_TOKEN;
  const t = await startTestApp({ ROCKETCHAT_URL: sim.url, ROCKETCHAT_WEBHOOK_TOKEN: webhookToken, ...options.env });
  let url: string | undefined;
  if (webhook || options.listen) {
    await t.app.listen(0, '127.0.0.1');
    url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  }
  if (webhook) sim.configureWebhook({ ...webhook, url: `${url}/webhooks/rocketchat`, token: webhookToken });
  // through `harness.t`: a test that restarts the gateway puts the running app there
  const post = (path: string, body: object = {}) => harness.t.http.post(path).set('Authorization', harness.t.admin).send(body);
  const get = (path: string) => harness.t.http.get(path).set('Authorization', harness.t.admin);
  const visitor = async (fields: Record<string, unknown> = {}) => {
    const token = `h-${process.pid}-${++tokens}`;
    const res = await post('/v1/visitors', { token, name: `Visitor ${tokens}`, ...fields });
    if (res.status !== 201) throw new Error(`POST /v1/visitors answered ${res.status}: ${JSON.stringify(res.body)}`);
    return { token, id: res.body.id as string };
  };
  const harness: Harness = {
    sim,
    t,
    url,
    post,
    get,
    visitor,
    room: async (fields = {}) => {
      const { token } = await visitor(fields.visitor);
      const res = await post('/v1/rooms', { visitorToken: token, ...(fields.departmentId ? { departmentId: fields.departmentId } : {}) });
      if (res.status !== 201) throw new Error(`POST /v1/rooms answered ${res.status}: ${JSON.stringify(res.body)}`);
      return { id: res.body.id as string, rocketchatRoomId: res.body.rocketchatRoomId as string, token };
    },
    close: async () => {
      await harness.t.close();
      // a test may have swapped the simulator (a restarted Rocket.Chat)
      await harness.sim.stop();
    },
  };
  return harness;
}
