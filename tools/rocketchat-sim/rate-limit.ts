import type { RateLimitOptions, RateLimitRule } from './types';

/**
 * Rocket.Chat's API rate limiter (CONTRACT-NOTES §0): every v1 route gets the default 10 calls per
 * 60 s unless it has its own rule; the key is client IP + route + method. Authentication does not
 * matter on public livechat routes, so it is not looked at.
 */
export const ROCKETCHAT_RULES: Record<string, RateLimitRule> = {
  default: { calls: 10, windowMs: 60_000 },
  'POST livechat/visitor': { calls: 5, windowMs: 60_000 },
  'GET livechat/room': { calls: 5, windowMs: 60_000 },
  'POST livechat/upload/:rid': { calls: 5, windowMs: 10_000 },
  'POST livechat/offline.message': { calls: 1, windowMs: 5_000 },
};

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** whole seconds until the window resets (for the 429 text) */
  waitSeconds: number;
}

export class RateLimiter {
  private readonly rules: Record<string, RateLimitRule>;
  private readonly windows = new Map<string, { resetAt: number; count: number }>();

  constructor(options: RateLimitOptions = {}) {
    this.rules = { ...ROCKETCHAT_RULES, ...options.rules };
  }

  /** Counts the call and says whether it may go on; the headers go on every limited answer. */
  check(ip: string, routeKey: string, now = Date.now()): RateDecision {
    const rule = this.rules[routeKey] ?? this.rules.default!;
    const key = `${ip}|${routeKey}`;
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { resetAt: now + rule.windowMs, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const allowed = window.count <= rule.calls;
    const timeToReset = window.resetAt - now;
    return {
      allowed,
      headers: {
        'X-RateLimit-Limit': String(rule.calls),
        'X-RateLimit-Remaining': String(Math.max(0, rule.calls - window.count)),
        // epoch milliseconds, not seconds
        'X-RateLimit-Reset': String(window.resetAt),
      },
      waitSeconds: Math.ceil(timeToReset / 1000),
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
