/**
 * `npm run sandbox`: the Rocket.Chat simulator and omnigate (embedded PostgreSQL), wired to each
 * other: omnigate calls the simulator's livechat API, the simulator posts its Omnichannel webhook to
 * omnigate with the shared token. Prints the Swagger URL, the agent console URL and an API key.
 *
 * Environment: PORT (omnigate, default 8080), SIM_PORT (simulator, default 3100),
 * SIM_ROCKETCHAT_VERSION (the Rocket.Chat version the simulator plays, default 8.8.1), DATA_DIR, and
 * any other omnigate variable. The simulator's API rate limiter is off, as docker-compose.yml sets
 * it off on a real Rocket.Chat.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { startGateway } from '../src/bootstrap';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { WEBHOOK_ROUTE } from '../src/webhooks/webhook-route';
import { RocketChatSimulator } from './rocketchat-sim';

async function sandbox(): Promise<void> {
  const webhookToken = process.env.ROCKETCHAT_WEBHOOK_TOKEN || randomBytes(24).toString('base64url');
  const simPort = Number(process.env.SIM_PORT ?? 3100);
  const sim = await RocketChatSimulator.start({ port: simPort, rateLimit: false, version: process.env.SIM_ROCKETCHAT_VERSION || undefined });

  let config;
  try {
    config = loadConfig({ ...process.env, ROCKETCHAT_URL: sim.url, ROCKETCHAT_WEBHOOK_TOKEN: webhookToken });
  } catch (error) {
    await sim.stop();
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const gateway = await startGateway(config);
  sim.configureWebhook({ url: `${gateway.url}/${WEBHOOK_ROUTE}`, token: webhookToken });
  const key = await gateway.app.get(ApiKeysService).create({ name: `sandbox-${new Date().toISOString()}`, scopes: ['admin'] });

  process.stdout.write(
    [
      '',
      '  omnigate sandbox is running',
      '',
      `    Swagger UI       ${gateway.url}/docs`,
      `    Agent console    ${sim.consoleUrl}   (simulated Rocket.Chat ${sim.version()}; agents start offline: rooms queue until taken)`,
      `    API key (admin)  ${key.secret}`,
      '',
      '  Try:',
      `    export OG=${gateway.url} KEY=${key.secret}`,
      `    curl -s -X POST $OG/v1/visitors -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"token":"visitor-1","name":"Maria"}'`,
      `    curl -s -X POST $OG/v1/rooms -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"visitorToken":"visitor-1"}'`,
      '',
      '  Ctrl-C stops both.',
      '',
    ].join('\n'),
  );

  const stop = (): void => {
    Promise.allSettled([gateway.stop(), sim.stop()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

sandbox().catch((error: unknown) => {
  process.stderr.write(`sandbox failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
