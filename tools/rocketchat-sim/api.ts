import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate, AUTH_ROUTES, notLoggedIn } from './auth';
import type { SimContext } from './context';
import { notFound, RestError, simulatedFailure, tooManyRequests } from './errors';
import type { CallFaults } from './faults';
import type { RateLimiter } from './rate-limit';
import { enforceRequestSchema } from './request-validation';
import { addAgentRoutes } from './rest-agent';
import { addMessageRoutes } from './rest-message';
import { addMessageEditRoutes } from './rest-message-edit';
import { addRoomRoutes } from './rest-room';
import { addTransferRoutes } from './rest-transfer';
import { addUploadRoutes } from './rest-upload';
import { addVisitorRoutes } from './rest-visitor';
import { json, Router, type Reply, type RequestContext } from './router';
import { writeReply } from './server';
import { asObject, queryObject } from './validate';

/**
 * Rocket.Chat's REST side: `/api/info` and the livechat routes under `/api/v1/`, behind the
 * simulated faults, the rate limiter (checked before validation, as Rocket.Chat does) and latency.
 */
export class RestApi {
  private readonly router = new Router('/api/v1/');

  constructor(
    private readonly sim: SimContext,
    private readonly faults: CallFaults,
    private readonly limiter: () => RateLimiter | undefined,
  ) {
    addVisitorRoutes(this.router, sim);
    addRoomRoutes(this.router, sim);
    addTransferRoutes(this.router, sim);
    addMessageRoutes(this.router, sim);
    addMessageEditRoutes(this.router, sim);
    addAgentRoutes(this.router, sim);
    addUploadRoutes(this.router, sim);
  }

  handles(path: string): boolean {
    return path.startsWith('/api/');
  }

  async handle(ctx: RequestContext, res: ServerResponse): Promise<void> {
    if (ctx.method === 'GET' && ctx.path === '/api/info') return this.answer(res, json({ version: this.serverVersion(ctx), success: true }));
    const match = this.router.match(ctx.method, ctx.path);
    const routeKey = match ? `${ctx.method} ${match.route.template}` : `${ctx.method} ${ctx.path}`;
    const fault = this.router.handles(ctx.path) ? this.faults.take(routeKey) : undefined;
    if (fault?.kind === 'fail') return this.answer(res, errorReply(simulatedFailure(fault.status)));
    if (fault?.kind === 'hold') {
      fault.arrived();
      await fault.released;
    }
    if (!match) return this.answer(res, this.unknownRoute());

    // authRequired is checked before the rate limiter and the schema (ApiClass.ts addRoute wrapper)
    let apiUser: RequestContext['apiUser'];
    if (AUTH_ROUTES.has(routeKey)) {
      apiUser = authenticate(ctx, this.sim.apiUsers);
      if (!apiUser) return this.answer(res, errorReply(notLoggedIn(this.sim.profile)));
    }

    let rateHeaders: Record<string, string> = {};
    const limiter = this.limiter();
    if (limiter) {
      const decision = limiter.check(clientIp(ctx), routeKey);
      rateHeaders = decision.headers;
      if (!decision.allowed) return this.answer(res, { ...errorReply(tooManyRequests(decision.waitSeconds)), headers: rateHeaders });
    }

    let reply: Reply;
    try {
      // Rocket.Chat validates after the rate limiter; ajv coerces types in place, so the handler reads `input`.
      const input = ctx.method === 'GET' ? queryObject(ctx.query) : (asObject(ctx.body) ?? {});
      enforceRequestSchema(routeKey, input);
      reply = await match.route.handler({ ...ctx, params: match.params, body: ctx.method === 'GET' ? ctx.body : input, apiUser });
    } catch (error) {
      reply = errorReply(error);
    }
    // A lost answer: the effect above is stored, the client hears nothing until its own timeout.
    if (fault?.kind === 'timeout') return;
    await this.answer(res, { ...reply, headers: { ...rateHeaders, ...reply.headers } });
  }

  /**
   * lib/getTrimmedServerVersion.ts: an anonymous caller gets major.minor only; the full version needs
   * a user with view-statistics, stood in for here by any X-User-Id + X-Auth-Token pair.
   */
  private serverVersion(ctx: RequestContext): string {
    const { version } = this.sim.profile;
    if (ctx.headers['x-user-id'] && ctx.headers['x-auth-token']) return version;
    return version.replace(/(\d+\.\d+).*/, '$1');
  }

  /** 8.x answers an unknown route with Hono's default `c.text('404 Not Found', 404)` (hono-base.ts notFoundHandler). */
  private unknownRoute(): Reply {
    if (this.sim.profile.honoNotFound) return { status: 404, text: '404 Not Found', contentType: 'text/plain; charset=UTF-8' };
    return errorReply(notFound());
  }

  private async answer(res: ServerResponse, reply: Reply): Promise<void> {
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    writeReply(res, reply);
  }
}

/** Rocket.Chat takes `x-real-ip` first, then the socket address. */
function clientIp(ctx: RequestContext): string {
  const real = ctx.headers['x-real-ip'];
  return (Array.isArray(real) ? real[0] : real) ?? ctx.ip;
}

function errorReply(error: unknown): Reply {
  if (error instanceof RestError) return json(error.body, error.status);
  console.error('rocketchat-sim: unexpected error', error);
  return json({ success: false, error: error instanceof Error ? error.message : String(error) }, 500);
}
