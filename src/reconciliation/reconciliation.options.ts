import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

export const DEFAULT_RECONCILE_INTERVAL_MS = 60_000;
/** Rocket.Chat's page size for messages.history; also what one page transaction holds. */
export const HISTORY_PAGE_SIZE = 100;
/** Open rooms one periodic run visits at most; the next run continues after the last one. */
export const ROOMS_PER_RUN = 200;

export interface ReconciliationOptions {
  /** 0 turns the periodic job off (POST /v1/rooms/:id/sync still works) */
  intervalMs: number;
}

export const RECONCILIATION_OPTIONS = Symbol('RECONCILIATION_OPTIONS');

/** From RECONCILE_INTERVAL_MS (AppConfig.reconcileIntervalMs), else the default. */
export const reconciliationOptionsProvider: Provider = {
  provide: RECONCILIATION_OPTIONS,
  inject: [AppConfig],
  useFactory: (config: AppConfig): ReconciliationOptions => ({ intervalMs: config.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS }),
};
