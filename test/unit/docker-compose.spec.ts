import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../../src/config/app-config';
import { WEBHOOK_ROUTE } from '../../src/webhooks/webhook-route';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
  entrypoint?: string[];
}

const ROOT = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const { omnigate, rocketchat, mongodb } = compose.services as Record<string, Service>;
/** A value as Compose interpolates it with nothing set in the shell: ${NAME:-default} becomes the default. */
const interpolate = (value: string): string => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

const WEBHOOK_SWITCHES = ['start', 'close', 'chat_taken', 'chat_queued', 'forward', 'offline_msg', 'visitor_message', 'agent_message', 'capture'];

describe('docker-compose.yml', () => {
  it('sets only variables omnigate reads, with values its configuration accepts', () => {
    const env = omnigate!.environment!;
    for (const name of Object.keys(env)) expect(ENVIRONMENT_VARIABLES).toContain(name);
    const interpolated = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v))]));
    expect(Object.values(interpolated).join(' ')).not.toContain('${');
    expect(() => loadConfig(interpolated)).not.toThrow();
  });

  it('points Rocket.Chat at the webhook route omnigate serves, on omnigate\'s port, with the same secret', () => {
    const url = new URL(rocketchat!.environment!.OVERWRITE_SETTING_Livechat_webhookUrl!);
    expect(url.pathname).toBe(`/${WEBHOOK_ROUTE}`);
    expect(url.hostname).toBe('omnigate');
    expect(url.port).toBe(omnigate!.environment!.PORT);
    const token = rocketchat!.environment!.OVERWRITE_SETTING_Livechat_secret_token!;
    expect(token).toBe(omnigate!.environment!.ROCKETCHAT_WEBHOOK_TOKEN);
    // the shared anchor, not two copies that can drift: one value, non-empty once interpolated
    expect(interpolate(token).length).toBeGreaterThanOrEqual(16);
    expect(new URL(omnigate!.environment!.ROCKETCHAT_URL!).host).toBe('rocketchat:3000');
  });

  it('enables Omnichannel and every webhook event', () => {
    const env = rocketchat!.environment!;
    expect(env.OVERWRITE_SETTING_Livechat_enabled).toBe('true');
    for (const s of WEBHOOK_SWITCHES) expect({ [s]: env[`OVERWRITE_SETTING_Livechat_webhook_on_${s}`] }).toEqual({ [s]: 'true' });
  });

  it('lets visitors close conversations, queues rooms with no agent online, and turns the rate limiter off', () => {
    const env = rocketchat!.environment!;
    expect(env.OVERWRITE_SETTING_Omnichannel_allow_visitors_to_close_conversation).toBe('true');
    expect(env.OVERWRITE_SETTING_Livechat_accept_chats_with_no_agents).toBe('true');
    expect(env.OVERWRITE_SETTING_API_Enable_Rate_Limiter).toBe('false');
    expect(env.OVERWRITE_SETTING_Show_Setup_Wizard).toBe('completed');
    expect(Number(env.OVERWRITE_SETTING_Livechat_http_timeout)).toBeGreaterThan(0);
    // removed in Rocket.Chat 8.0
    expect(env).not.toHaveProperty('DISABLE_DB_WATCHERS');
  });

  it('pins a Rocket.Chat 8.x image on a MongoDB 8 replica set initialised before it starts', () => {
    expect(interpolate(rocketchat!.image!)).toMatch(/^registry\.rocket\.chat\/rocketchat\/rocket\.chat:8\.\d+\.\d+$/);
    for (const name of ['mongodb', 'mongodb-init']) expect(compose.services[name]!.image).toMatch(/^mongodb\/mongodb-community-server:8\.\d+/);
    expect(mongodb!.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(rocketchat!.environment!.MONGO_URL).toContain('replicaSet=rs0');
    expect(compose.services['mongodb-init']!.entrypoint!.join(' ')).toContain('rs.initiate({ _id: "rs0"');
    expect(rocketchat!.depends_on).toEqual({ 'mongodb-init': { condition: 'service_completed_successfully' } });
  });

  it('runs the Rocket.Chat setup one-shot on Node 24 after Rocket.Chat is healthy', () => {
    const setup = compose.services['rocketchat-setup']!;
    expect(setup.image).toBe('node:24-bookworm-slim');
    expect(setup.depends_on).toEqual({ rocketchat: { condition: 'service_healthy' } });
    expect(setup.environment!.ADMIN_PASS).toBe(rocketchat!.environment!.ADMIN_PASS);
  });

  it('builds omnigate from the Dockerfile and starts it after healthy dependencies, with health checks', () => {
    expect(omnigate!.build).toBe('.');
    expect(omnigate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, rocketchat: { condition: 'service_healthy' } });
    for (const name of ['postgres', 'mongodb', 'rocketchat', 'omnigate']) expect(compose.services[name]!.healthcheck).toBeDefined();
    expect(omnigate!.healthcheck!.test.join(' ')).toContain('/health/ready');
  });

  it('has a multi-stage Dockerfile that runs the compiled gateway as an unprivileged user', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM .*$/gm)).toEqual(['FROM node:24-bookworm-slim AS build', 'FROM node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\\\n\s+CMD .*\/health\/ready/m);
    expect(dockerfile).toContain('CMD ["node", "dist/src/main.js"]');
  });
});
