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
}

const ROOT = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const { omnigate, rocketchat, mongodb } = compose.services as Record<string, Service>;

const WEBHOOK_SWITCHES = ['start', 'close', 'chat_taken', 'chat_queued', 'forward', 'offline_msg', 'visitor_message', 'agent_message', 'capture'];

describe('docker-compose.yml', () => {
  it('sets only variables omnigate reads, with values its configuration accepts', () => {
    const env = omnigate!.environment!;
    for (const name of Object.keys(env)) expect(ENVIRONMENT_VARIABLES).toContain(name);
    // as Compose interpolates them with nothing set in the shell: ${NAME:-default} becomes the default
    const interpolated = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]));
    expect(Object.values(interpolated).join(' ')).not.toContain('${');
    expect(() => loadConfig(interpolated)).not.toThrow();
  });

  it('points Rocket.Chat at the webhook route omnigate serves, on omnigate\'s port, with the same secret', () => {
    const url = new URL(rocketchat!.environment!.OVERWRITE_SETTING_Livechat_webhookUrl!);
    expect(url.pathname).toBe(`/${WEBHOOK_ROUTE}`);
    expect(url.hostname).toBe('omnigate');
    expect(url.port).toBe(omnigate!.environment!.PORT);
    expect(rocketchat!.environment!.OVERWRITE_SETTING_Livechat_secret_token).toBe(omnigate!.environment!.ROCKETCHAT_WEBHOOK_TOKEN);
    expect(new URL(omnigate!.environment!.ROCKETCHAT_URL!).host).toBe('rocketchat:3000');
  });

  it('enables Omnichannel and every webhook event', () => {
    const env = rocketchat!.environment!;
    expect(env.OVERWRITE_SETTING_Livechat_enabled).toBe('true');
    for (const s of WEBHOOK_SWITCHES) expect({ [s]: env[`OVERWRITE_SETTING_Livechat_webhook_on_${s}`] }).toEqual({ [s]: 'true' });
  });

  it('pins a Rocket.Chat 7.x image on a MongoDB replica set initialised before it starts', () => {
    expect(rocketchat!.image).toMatch(/rocket\.chat:7\.\d+\.\d+$/);
    expect(mongodb!.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(rocketchat!.environment!.MONGO_URL).toContain('replicaSet=rs0');
    expect(rocketchat!.depends_on).toEqual({ 'mongodb-init': { condition: 'service_completed_successfully' } });
  });

  it('builds omnigate from the Dockerfile and starts it after healthy dependencies, with health checks', () => {
    expect(omnigate!.build).toBe('.');
    expect(omnigate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, rocketchat: { condition: 'service_healthy' } });
    for (const name of ['postgres', 'mongodb', 'rocketchat', 'omnigate']) expect(compose.services[name]!.healthcheck).toBeDefined();
    expect(omnigate!.healthcheck!.test.join(' ')).toContain('/health/ready');
  });

  it('has a multi-stage Dockerfile that runs the compiled gateway as an unprivileged user', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('CMD ["node", "dist/src/main.js"]');
  });
});
