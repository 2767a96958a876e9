import { RocketChatSimulator } from './simulator';

/**
 * `ts-node tools/rocketchat-sim/main.ts`: the simulator as a process, configured by environment.
 * SIM_PORT (3100), SIM_HOST (127.0.0.1), SIM_WEBHOOK_URL, SIM_WEBHOOK_TOKEN, SIM_RATE_LIMIT (on|off),
 * SIM_WEBHOOK_RETRY_DELAY_MS, SIM_HTTP_TIMEOUT_MS, SIM_ROCKETCHAT_VERSION (8.8.1).
 */
function intFrom(name: string, fallback?: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer (got "${raw}")`);
    process.exit(78);
  }
  return value;
}

async function main(): Promise<void> {
  const rateLimit = (process.env.SIM_RATE_LIMIT ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(rateLimit)) {
    console.error(`SIM_RATE_LIMIT must be on or off (got "${process.env.SIM_RATE_LIMIT}")`);
    process.exit(78);
  }
  const webhookUrl = process.env.SIM_WEBHOOK_URL;
  const sim = await RocketChatSimulator.start({
    version: process.env.SIM_ROCKETCHAT_VERSION || undefined,
    port: intFrom('SIM_PORT', 3100),
    host: process.env.SIM_HOST || '127.0.0.1',
    rateLimit: rateLimit === 'on',
    webhook: webhookUrl
      ? {
          url: webhookUrl,
          token: process.env.SIM_WEBHOOK_TOKEN || undefined,
          httpTimeoutMs: intFrom('SIM_HTTP_TIMEOUT_MS'),
          retryDelayMs: intFrom('SIM_WEBHOOK_RETRY_DELAY_MS'),
        }
      : undefined,
  });
  console.log(`Rocket.Chat ${sim.version()} simulator listening on ${sim.url}`);
  console.log(`Agent console: ${sim.consoleUrl}`);
  if (webhookUrl) console.log(`Webhook: ${webhookUrl}`);
  const shutdown = (signal: string): void => {
    console.log(`${signal}: stopping`);
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
