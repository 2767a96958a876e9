import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CALLBACK_OPTIONS, CallbackOptions } from './callback-options';
import { signCallback } from './callback-signature';
import { BlockedAddressError, blockedLiteralReason, guardedLookup } from './network-policy';

/** What a receiver is sent: the same shape as a live (SSE) event. */
export interface CallbackPayload {
  id: string;
  type: string;
  roomId: string;
  createdAt: string;
  data: Record<string, unknown>;
}

export interface SendResult {
  /** delivered: 2xx; retryable: network error, timeout, 5xx, 429; rejected: any other answer */
  kind: 'delivered' | 'retryable' | 'rejected';
  httpStatus: number | null;
  error: string | null;
  latencyMs: number;
}

function describeError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (error instanceof BlockedAddressError) return `blocked: ${error.message} (CALLBACK_ALLOW_PRIVATE_NETWORKS)`;
  return `network error: ${e.code ?? e.message ?? String(error)}`.slice(0, 500);
}

/**
 * The one place that talks HTTP to subscribers' URLs: signs, posts, classifies the answer. Plain
 * node:http(s) rather than fetch, for the `lookup` hook that keeps callbacks out of private networks
 * (network-policy.ts); keep-alive agents reuse connections to a subscriber.
 */
@Injectable()
export class CallbackSender implements OnModuleDestroy {
  private readonly agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

  constructor(@Inject(CALLBACK_OPTIONS) private readonly options: CallbackOptions) {}

  onModuleDestroy(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  async send(url: string, secret: string, payload: CallbackPayload): Promise<SendResult> {
    const body = JSON.stringify(payload);
    const timeoutMs = this.options.timeoutMs;
    const started = performance.now();
    const latency = (): number => Math.round(performance.now() - started);
    const target = new URL(url);
    const guarded = !this.options.allowPrivateNetworks;
    // an IP literal is connected to without a lookup, so guardedLookup never sees it (a subscription
    // made while private networks were allowed)
    const refused = guarded ? blockedLiteralReason(url) : null;
    if (refused) return { kind: 'rejected', httpStatus: null, error: describeError(new BlockedAddressError(refused)), latencyMs: 0 };
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
          target,
          {
            method: 'POST',
            agent: this.agents[target.protocol as 'http:' | 'https:'],
            lookup: guarded ? guardedLookup : undefined,
            headers: {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
              'Omnigate-Event-Id': payload.id,
              'Omnigate-Event-Type': payload.type,
              'Omnigate-Signature': signCallback(secret, Math.floor(Date.now() / 1000), body),
            },
            // redirects are not followed: one would send the signed event to a URL nobody subscribed
            signal: AbortSignal.timeout(timeoutMs),
          },
          (response) => {
            response.resume(); // the answer's body is not used
            response.once('end', () => resolve(response.statusCode ?? 0));
            response.once('error', reject);
          },
        );
        request.once('error', reject);
        request.end(body);
      });
      if (status >= 200 && status < 300) return { kind: 'delivered', httpStatus: status, error: null, latencyMs: latency() };
      const kind = status >= 500 || status === 429 ? 'retryable' : 'rejected';
      return { kind, httpStatus: status, error: `HTTP ${status}`, latencyMs: latency() };
    } catch (error) {
      if (error instanceof BlockedAddressError) return { kind: 'rejected', httpStatus: null, error: describeError(error), latencyMs: latency() };
      const timedOut = (error as { name?: string }).name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR';
      return { kind: 'retryable', httpStatus: null, error: timedOut ? `timeout after ${timeoutMs} ms` : describeError(error), latencyMs: latency() };
    }
  }
}
