import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { resolve } from 'node:path';
import { Environment } from './environment';

/**
 * omnigate's typed configuration. It is also the injection token: services ask for `AppConfig`
 * in their constructor. Built once at start-up by `loadConfig`; nothing else reads process.env.
 */
export abstract class AppConfig {
  abstract readonly http: { port: number; host: string; bodyLimitBytes: number; corsOrigins: string[] };
  abstract readonly database: {
    /** unset: omnigate starts an embedded PostgreSQL in `dataDir` */
    url?: string;
    dataDir: string;
    poolSize: number;
    runMigrations: boolean;
  };
  abstract readonly rocketchat: {
    url: string;
    userId?: string;
    authToken?: string;
    webhookToken?: string;
    timeoutMs: number;
    /** fixes the version instead of learning it from `GET /api/info` */
    version?: string;
  };
  abstract readonly delivery: { retryBaseMs: number; retryMaxMs: number };
  abstract readonly reconcileIntervalMs: number;
  abstract readonly uploadLimitBytes: number;
  /** the PostgreSQL text search configuration of transcript search (checked against the database at start-up) */
  abstract readonly search: { language: string };
  abstract readonly live: { heartbeatMs: number };
  abstract readonly callbacks: {
    /** per-attempt HTTP timeout */
    timeoutMs: number;
    /** first retry delay after a network error, timeout, 5xx or 429 (doubles each attempt, with jitter) */
    retryBaseMs: number;
    /** cap of that delay */
    retryMaxMs: number;
    /** an event is retried this long after it happened, then given up */
    maxAgeMs: number;
    /** deliveries in a row that end failed or gave_up before the subscription is disabled */
    disableAfterFailures: number;
    /** safety-net poll of the event log (NOTIFY wakes the dispatcher at once) */
    pollIntervalMs: number;
    /** false: callbacks never reach loopback, private, link-local or reserved addresses */
    allowPrivateNetworks: boolean;
  };
  abstract readonly adminKey?: string;
  abstract readonly logLevel: Environment['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Names of the variables omnigate reads (for docs and the docker-compose test). */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(new Environment());

const SECRET_VARIABLES = new Set(['ROCKETCHAT_AUTH_TOKEN', 'ROCKETCHAT_WEBHOOK_TOKEN', 'OMNIGATE_ADMIN_KEY', 'DATABASE_URL']);

function describe(error: ValidationError, raw: Record<string, string | undefined>): string {
  const reason = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
  const value = raw[error.property];
  const shown = SECRET_VARIABLES.has(error.property) || value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  return `${error.property} ${reason.replace(new RegExp(`^${error.property}\\s+`), '')}${shown}`;
}

/**
 * Reads and validates the environment. Throws a ConfigError whose message is one line naming
 * every offending variable and what is wrong with it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string | undefined> = {};
  for (const name of ENVIRONMENT_VARIABLES) {
    if (env[name] !== undefined) raw[name] = env[name];
  }
  const parsed = plainToInstance(Environment, raw);
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration: ${errors.map((e) => describe(e, raw)).join('; ')}`);
  }
  if (parsed.RECONCILE_INTERVAL_MS > 0 && parsed.RECONCILE_INTERVAL_MS < 1000) {
    throw new ConfigError(`Invalid configuration: RECONCILE_INTERVAL_MS must be 0 (off) or an integer between 1000 and 86400000 (milliseconds) (got "${raw.RECONCILE_INTERVAL_MS}")`);
  }
  if (parsed.CALLBACK_RETRY_MAX_MS < parsed.CALLBACK_RETRY_BASE_MS) {
    throw new ConfigError('Invalid configuration: CALLBACK_RETRY_MAX_MS must not be smaller than CALLBACK_RETRY_BASE_MS');
  }
  if (parsed.DELIVERY_RETRY_MAX_MS < parsed.DELIVERY_RETRY_BASE_MS) {
    throw new ConfigError('Invalid configuration: DELIVERY_RETRY_MAX_MS must not be smaller than DELIVERY_RETRY_BASE_MS');
  }
  if ((parsed.ROCKETCHAT_USER_ID === undefined) !== (parsed.ROCKETCHAT_AUTH_TOKEN === undefined)) {
    throw new ConfigError('Invalid configuration: ROCKETCHAT_USER_ID and ROCKETCHAT_AUTH_TOKEN must be set together');
  }
  return Object.freeze({
    http: {
      port: parsed.PORT,
      host: parsed.HOST,
      bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
      corsOrigins: parsed.CORS_ORIGINS ? parsed.CORS_ORIGINS.split(',').map((o) => o.trim()) : [],
    },
    database: {
      url: parsed.DATABASE_URL,
      dataDir: resolve(parsed.DATA_DIR),
      poolSize: parsed.DATABASE_POOL_SIZE,
      runMigrations: parsed.DATABASE_RUN_MIGRATIONS,
    },
    rocketchat: {
      url: parsed.ROCKETCHAT_URL.replace(/\/+$/, ''),
      userId: parsed.ROCKETCHAT_USER_ID,
      authToken: parsed.ROCKETCHAT_AUTH_TOKEN,
      webhookToken: parsed.ROCKETCHAT_WEBHOOK_TOKEN,
      timeoutMs: parsed.ROCKETCHAT_TIMEOUT_MS,
      version: parsed.ROCKETCHAT_VERSION,
    },
    delivery: { retryBaseMs: parsed.DELIVERY_RETRY_BASE_MS, retryMaxMs: parsed.DELIVERY_RETRY_MAX_MS },
    reconcileIntervalMs: parsed.RECONCILE_INTERVAL_MS,
    uploadLimitBytes: parsed.UPLOAD_LIMIT_BYTES,
    search: { language: parsed.SEARCH_LANGUAGE.toLowerCase() },
    live: { heartbeatMs: parsed.SSE_HEARTBEAT_MS },
    callbacks: {
      timeoutMs: parsed.CALLBACK_TIMEOUT_MS,
      retryBaseMs: parsed.CALLBACK_RETRY_BASE_MS,
      retryMaxMs: parsed.CALLBACK_RETRY_MAX_MS,
      maxAgeMs: parsed.CALLBACK_MAX_AGE_MS,
      disableAfterFailures: parsed.CALLBACK_DISABLE_AFTER_FAILURES,
      pollIntervalMs: parsed.CALLBACK_POLL_INTERVAL_MS,
      allowPrivateNetworks: parsed.CALLBACK_ALLOW_PRIVATE_NETWORKS,
    },
    adminKey: parsed.OMNIGATE_ADMIN_KEY,
    logLevel: parsed.LOG_LEVEL,
  });
}
