import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { WEBHOOK_ROUTE } from '../webhooks/webhook-route';

const WEBHOOK_PATH = `/${WEBHOOK_ROUTE}`;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Headers and fields that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-rocketchat-livechat-token"]',
  'req.headers["x-auth-token"]',
  'req.headers["x-visitor-token"]',
  'req.headers.cookie',
  'req.query.token',
  'res.headers["set-cookie"]',
];

/** The caller's X-Request-Id when it is well-formed, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Fastify assigns the id (see requestId); pino-http reuses it
      genReqId: (req: IncomingMessage & { id?: unknown }) => (typeof req.id === 'string' ? req.id : requestId(req)),
      // query strings may carry visitor tokens: log the path only
      serializers: {
        req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
          headers: req.headers,
        }),
      },
      // Rocket.Chat's deliveries answered 2xx are recorded in webhook_receipts already: at info a
      // log line each would be the webhook's largest CPU cost but one (they show at debug)
      customLogLevel: (req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : req.url === WEBHOOK_PATH && config.logLevel !== 'debug' && config.logLevel !== 'trace' ? 'silent' : 'info',
      autoLogging: { ignore: (req) => req.url === '/metrics' || req.url?.startsWith('/health/') === true },
    },
  };
}
