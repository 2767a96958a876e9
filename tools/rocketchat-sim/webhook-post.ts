import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { JsonObject } from './types';

export interface PostResult {
  status?: number;
  body?: string;
  /** network error or `timeout`; status is then undefined */
  error?: string;
}

/**
 * One webhook POST, the way Rocket.Chat's server-fetch sends it: JSON body, the secret in
 * `X-RocketChat-Livechat-Token`, a timeout over the whole exchange. A fresh connection each time so
 * a test's receiver can close without waiting for idle keep-alive sockets.
 */
export function postJson(url: string, payload: JsonObject, options: { token?: string; timeoutMs: number; signal: AbortSignal }): Promise<PostResult> {
  return new Promise((resolve) => {
    const body = Buffer.from(JSON.stringify(payload));
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': body.length, 'User-Agent': 'RocketChat-sim' };
    if (options.token) headers['X-RocketChat-Livechat-Token'] = options.token;
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ error: 'invalid url' });
    }
    let settled = false;
    // every caller of finish runs asynchronously, after the timer below exists
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'POST', headers, agent: false, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => finish({ error: e.message }));
    });
    const timer = setTimeout(() => {
      finish({ error: 'timeout' });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message }));
    req.end(body);
  });
}
