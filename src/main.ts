import 'reflect-metadata';
import { startGateway } from './bootstrap';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';

/**
 * `npm start`: validates the configuration (a bad value stops the process with one line, exit 78),
 * then runs the gateway. SIGINT/SIGTERM stop it in order: HTTP and workers, then PostgreSQL.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // A stray rejected promise (a dropped connection's error, say) is logged, not fatal: a gateway
  // that stays up keeps answering 503 and recovers when PostgreSQL or Rocket.Chat is back.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: 'unhandled rejection', err: String(reason instanceof Error ? reason.stack : reason) })}\n`);
  });
  const gateway = await startGateway(config);
  if (gateway.generatedAdminKey) {
    // Printed once, on stdout and outside the structured log, so it never lands in log storage.
    process.stdout.write(
      `\n  No API key existed, so omnigate created an admin key. It is shown only now:\n\n    ${gateway.generatedAdminKey}\n\n` +
        `  Use it as "Authorization: Bearer <key>" and create narrower keys with POST /v1/api-keys.\n\n`,
    );
  }
  const stop = (): void => {
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // a setting only the database can check (SEARCH_LANGUAGE) fails at start-up, still a configuration error
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`omnigate failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
