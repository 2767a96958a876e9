import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { StreamTokens } from '../live/stream-tokens';
import { PUBLIC_KEY, SCOPES_KEY, STREAM_TOKEN_KEY } from './auth.decorators';
import { ApiKeysService, Principal } from './api-keys.service';
import { grants, Scope } from './scopes';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const BEARER = /^Bearer\s+(\S{1,512})\s*$/i;

/**
 * Global guard: every route needs an API key holding the scopes its @RequireScopes names,
 * unless it is marked @Public. A route with neither is refused (fail closed).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger(ApiKeyGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly streamTokens: StreamTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(SCOPES_KEY, targets);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!required) {
      this.logger.error(`route ${request.method} ${request.routeOptions?.url} declares no scopes; refusing`);
      throw new ForbiddenException('This route is not open to API keys');
    }
    const header = request.headers.authorization;
    const bearer = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (this.reflector.get<boolean>(STREAM_TOKEN_KEY, context.getHandler())) {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const candidate = bearer ?? (typeof query.access_token === 'string' ? query.access_token : undefined);
      if (candidate && StreamTokens.looksLikeStreamToken(candidate)) {
        const grant = this.streamTokens.verify(candidate);
        if (!grant) throw new UnauthorizedException('Invalid or expired stream token');
        request.principal = { keyId: 'stream-token', name: 'stream-token', scopes: [], visitorId: grant.visitorId };
        return true;
      }
    }
    if (!bearer) throw new UnauthorizedException('Missing API key: send "Authorization: Bearer <key>"');
    const principal = await this.apiKeys.authenticate(bearer);
    if (!principal) throw new UnauthorizedException('Unknown or revoked API key');
    if (!grants(principal.scopes, required)) {
      throw new ForbiddenException(`This API key lacks the scope ${required.join(', ')}`);
    }
    request.principal = principal;
    return true;
  }
}
