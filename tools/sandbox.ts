/**
 * `npm run sandbox`: the Rocket.Chat simulator and omnigate (embedded PostgreSQL), wired to each
 * other: omnigate calls the simulator's livechat API, the simulator posts its Omnichannel webhook to
 * omnigate with the shared token. Prints the Swagger URL, the agent console URL and an API key.
 *
 * Environment: PORT (omnigate, default 8080), SIM_PORT (simulator, default 3100),
 * SIM_ROCKETCHAT_VERSION (the Rocket.Chat version the simulator plays, default 8.8.1), DATA_DIR, and
 * any other omnigate variable. The simulator's API rate limiter is off, as docker-compose.yml sets
 * it off on a real Rocket.Chat.
 *
 * `npm run sandbox -- --reset` starts over: omnigate's embedded database in DATA_DIR is deleted (the
 * simulator keeps nothing between runs anyway). The admin key is created and shown at the first
 * start only; later starts use it again.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { startGateway } from '../src/bootstrap';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { resetEmbeddedData } from '../src/database/embedded-postgres';
import { WEBHOOK_ROUTE } from '../src/webhooks/webhook-route';
import { RocketChatSimulator } from './rocketchat-sim';

async function sandbox(args: string[]): Promise<void> {
  const unknown = args.filter((a) => a !== '--reset');
  if (unknown.length) {
    process.stderr.write(`unknown argument ${unknown[0]}: npm run sandbox [-- --reset]\n`);
    process.exit(64);
  }
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
  if (args.includes('--reset')) {
    if (config.database.url) process.stderr.write('--reset clears the embedded database only; DATABASE_URL is set, so nothing was deleted\n');
    else {
      await resetEmbeddedData(config.database.dataDir);
      process.stdout.write(`  --reset: omnigate's data in ${config.database.dataDir} deleted; the simulator starts empty\n`);
    }
  }
  // the first start creates the admin key and omnigate shows it once (above the banner); later starts reuse it
  const gateway = await startGateway(config);
  sim.configureWebhook({ url: `${gateway.url}/${WEBHOOK_ROUTE}`, token: webhookToken });
  const key = gateway.generatedAdminKey;

  process.stdout.write(
    [
      '',
      '  omnigate sandbox is running',
      '',
      `    Swagger UI       ${gateway.url}/docs`,
      `    Agent console    ${sim.consoleUrl}   (simulated Rocket.Chat ${sim.version()}; agents start offline: rooms queue until taken)`,
      key
        ? `    API key (admin)  ${key}   (created at this first start, shown only now)`
        : '    API key (admin)  the one shown at the first start on this DATA_DIR (or OMNIGATE_ADMIN_KEY); `npm run sandbox -- --reset` starts over',
      '',
      '  Try:',
      `    export OG=${gateway.url} KEY=${key ?? '<your admin key>'}`,
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

sandbox(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`sandbox failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
