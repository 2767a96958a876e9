import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** The callbacks' settings (AppConfig's, described there), as a provider a test may adjust. */
export type CallbackOptions = AppConfig['callbacks'];

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
