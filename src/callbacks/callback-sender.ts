import { Inject, Injectable } from '@nestjs/common';
import { CALLBACK_OPTIONS, CallbackOptions } from './callback-options';
import { signCallback } from './callback-signature';

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
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const text = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `network error: ${text}`.slice(0, 500);
}

/** The one place that talks HTTP to subscribers' URLs: signs, posts, classifies the answer. */
@Injectable()
export class CallbackSender {
  constructor(@Inject(CALLBACK_OPTIONS) private readonly options: CallbackOptions) {}

  async send(url: string, secret: string, payload: CallbackPayload): Promise<SendResult> {
    const body = JSON.stringify(payload);
    const timeoutMs = this.options.timeoutMs;
    const started = performance.now();
    const latency = (): number => Math.round(performance.now() - started);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Omnigate-Event-Id': payload.id,
          'Omnigate-Event-Type': payload.type,
          'Omnigate-Signature': signCallback(secret, Math.floor(Date.now() / 1000), body),
        },
        body,
        // a redirect would send the signed event to a URL nobody subscribed
        redirect: 'manual',
        signal,
      });
      await response.body?.cancel().catch(() => undefined);
      const status = response.status;
      if (status >= 200 && status < 300) return { kind: 'delivered', httpStatus: status, error: null, latencyMs: latency() };
      const kind = status >= 500 || status === 429 ? 'retryable' : 'rejected';
      return { kind, httpStatus: status, error: `HTTP ${status}`, latencyMs: latency() };
    } catch (error) {
      const problem = signal.aborted ? `timeout after ${timeoutMs} ms` : describeError(error);
      return { kind: 'retryable', httpStatus: null, error: problem, latencyMs: latency() };
    }
  }
}
