import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError, ServiceUnavailableError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';

export const WEBHOOK_TOKEN_HEADER = 'x-rocketchat-livechat-token';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Rocket.Chat's secret in `X-RocketChat-Livechat-Token`, compared in constant time (both sides
 * hashed first so that lengths leak nothing). No secret configured: 503, since accepting unsigned
 * deliveries would let anyone write rooms.
 */
@Injectable()
export class WebhookTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(config: AppConfig) {
    const token = config.rocketchat.webhookToken;
    this.expected = token ? digest(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new ServiceUnavailableError('The webhook is not configured: set ROCKETCHAT_WEBHOOK_TOKEN');
    const given = context.switchToHttp().getRequest<FastifyRequest>().headers[WEBHOOK_TOKEN_HEADER];
    if (typeof given !== 'string' || given.length === 0) throw new ApiError(HttpStatus.UNAUTHORIZED, 'Missing X-RocketChat-Livechat-Token');
    if (!timingSafeEqual(digest(given), this.expected)) throw new ApiError(HttpStatus.UNAUTHORIZED, 'Wrong X-RocketChat-Livechat-Token');
    return true;
  }
}
