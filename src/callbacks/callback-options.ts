import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

export interface CallbackOptions {
  /** per-attempt HTTP timeout */
  timeoutMs: number;
  /** first retry delay after a network error, timeout, 5xx or 429 (doubles each attempt, with jitter) */
  retryBaseMs: number;
  /** cap of that delay */
  retryMaxMs: number;
  /** an event is retried this long after it happened, then given up */
  maxAgeMs: number;
  /** deliveries in a row that end failed or gave_up before the subscription is disabled */
  disableAfterFailures: number;
  /** safety-net poll of the event log (NOTIFY wakes the dispatcher at once) */
  pollIntervalMs: number;
  /** false: callbacks never reach loopback, private, link-local or reserved addresses */
  allowPrivateNetworks: boolean;
}

export const CALLBACK_OPTIONS = Symbol('CALLBACK_OPTIONS');

/**
 * Read on every use, so a test may lower the delays on the resolved object
 * (`app.get(CALLBACK_OPTIONS)`) before it creates subscriptions.
 */
export const callbackOptionsProvider: Provider = {
  provide: CALLBACK_OPTIONS,
  inject: [AppConfig],
  useFactory: (config: AppConfig): CallbackOptions => ({ ...config.callbacks }),
};
