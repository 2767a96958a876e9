import type { IncomingHttpHeaders } from 'node:http';
import type { ApiUser } from './types';

export interface RequestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** client IP as Rocket.Chat sees it: `x-real-ip`, else the socket address */
  ip: string;
  rawBody: Buffer;
  /** the body was larger than the server reads; rawBody holds only its start */
  bodyTruncated: boolean;
  /** the parsed JSON body (undefined when empty or not JSON) */
  body: unknown;
  /** set on authenticated routes once X-User-Id/X-Auth-Token matched a user */
  apiUser?: ApiUser;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;

export interface Route {
  method: string;
  /** template such as `livechat/visitor/:token`; also the rate-limit and fault key */
  template: string;
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Method + path templates with `:param` segments, matched in registration order. */
export class Router {
  private readonly routes: { route: Route; pattern: RegExp; names: string[] }[] = [];

  constructor(private readonly prefix: string) {}

  add(method: string, template: string, handler: Handler): this {
    const names: string[] = [];
    const source = template
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ route: { method, template, handler }, pattern: new RegExp(`^${this.prefix}${source}/?$`), names });
    return this;
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const { route, pattern, names } of this.routes) {
      if (route.method !== method) continue;
      const m = pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { route, params };
    }
    return undefined;
  }

  handles(path: string): boolean {
    return path.startsWith(this.prefix);
  }
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({ status, json: body, headers });

/** Rocket.Chat's `API.v1.success(result)`. */
export const success = (result: Record<string, unknown> = {}): Reply => json({ ...result, success: true });
