import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { VisitorSessionTokens } from '../sessions/visitor-session-tokens';
import { SessionCoverage, VisitorSessions } from '../sessions/visitor-sessions';
import { PUBLIC_KEY, SCOPES_KEY, SESSION_KEY } from './auth.decorators';
import { ApiKeysService, Principal } from './api-keys.service';
import { grants, Scope } from './scopes';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const BEARER = /^Bearer\s+(\S{1,512})\s*$/i;

/**
 * Global guard: every route needs an API key holding the scopes its @RequireScopes names,
 * unless it is marked @Public. A route with neither is refused (fail closed). Routes marked
 * @AllowVisitorSession also take a visitor session token, checked by VisitorSessions for what the
 * route addresses; @VisitorSessionOnly routes take nothing else.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger(ApiKeyGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: VisitorSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const bearer = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const coverage = this.reflector.get<SessionCoverage | undefined>(SESSION_KEY, context.getHandler());
    if (coverage) {
      // a token in the URL only where a browser cannot send a header: EventSource, links (GET)
      const query = (request.query ?? {}) as Record<string, unknown>;
      const inQuery = coverage !== 'session' && request.method === 'GET' && typeof query.access_token === 'string' ? query.access_token : undefined;
      const candidate = bearer ?? inQuery;
      if (candidate && VisitorSessionTokens.looksLikeSessionToken(candidate)) {
        const claims = await this.sessions.authorize(candidate, coverage, (request.params ?? {}) as Record<string, string | undefined>);
        request.principal = { keyId: claims.visitorId, name: 'visitor-session', scopes: [], session: claims };
        return true;
      }
      if (coverage === 'session') throw new UnauthorizedException('Missing visitor session token: send "Authorization: Bearer ogs_..."');
    }
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(SCOPES_KEY, targets);
    if (!required) {
      this.logger.error(`route ${request.method} ${request.routeOptions?.url} declares no scopes; refusing`);
      throw new ForbiddenException('This route is not open to API keys');
    }
    if (!bearer) throw new UnauthorizedException('Missing API key: send "Authorization: Bearer <key>"');
    if (VisitorSessionTokens.looksLikeSessionToken(bearer)) {
      throw new ForbiddenException("A visitor session token does not open this route: it opens only its visitor's rooms (streams, messages, files, close, survey)");
    }
    const principal = await this.apiKeys.authenticate(bearer);
    if (!principal) throw new UnauthorizedException('Unknown or revoked API key');
    if (!grants(principal.scopes, required)) {
      throw new ForbiddenException(`This API key lacks the scope ${required.join(', ')}`);
    }
    request.principal = principal;
    return true;
  }
}
