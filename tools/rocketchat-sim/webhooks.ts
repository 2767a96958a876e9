import { EventEmitter } from 'node:events';
import { randomId } from './ids';
import { versionProfile, type WebhookProfile } from './profile';
import { SIM_DEFAULT_VERSION } from './version';
import { postJson } from './webhook-post';
import type { AttemptOutcome, WebhookAttempt, WebhookConfig, WebhookEvent, WebhookSwitch } from './types';

export type ResolvedWebhookConfig = Required<Omit<WebhookConfig, 'token'>> & { token?: string };
type ResolvedConfig = ResolvedWebhookConfig;

interface Pending {
  event: WebhookEvent;
  duplicate: boolean;
}

/** Settings a test leaves out come from the version's profile. */
function resolve(config: WebhookConfig, profile: WebhookProfile): ResolvedConfig {
  const httpTimeoutMs = config.httpTimeoutMs ?? 5000;
  return {
    url: config.url,
    token: config.token || undefined,
    events: { ...config.events },
    httpTimeoutMs,
    retryDelayMs: config.retryDelayMs ?? 4 * httpTimeoutMs,
    maxAttempts: config.maxAttempts ?? profile.maxAttempts,
    awaitFirstAttempt: config.awaitFirstAttempt ?? profile.awaitFirstAttempt,
    retryOn: config.retryOn ?? profile.retryOn,
  };
}

/**
 * Rocket.Chat's `sendRequest` (lib/webhooks.ts, CONTRACT-NOTES §12): one POST per event; success
 * only on 200; failures retried by `retryOn`, at most `maxAttempts` in all, `retryDelayMs` apart;
 * a status the rule does not retry is dropped. First attempts of one room go out in the order the
 * events happened; retries run on their own timers, so a retried event can arrive after later ones.
 */
export class WebhookDispatcher {
  readonly attempts = new EventEmitter();
  private config: ResolvedConfig | undefined;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private stopped = false;
  private dropCount = 0;
  private duplicateCount = 0;
  private hold: { size: number; buffer: Pending[] } | undefined;
  private paused: Pending[] | undefined;

  constructor(
    private readonly log: WebhookAttempt[],
    private readonly onSuccess: (event: WebhookEvent, body: string) => void,
    config?: WebhookConfig,
    /** defaults for what `config` leaves out; the default version's when not given */
    private readonly profile: WebhookProfile = versionProfile(SIM_DEFAULT_VERSION).webhook,
  ) {
    this.configure(config);
  }

  /** Replaces the settings; `undefined` or an empty url turns the webhook off (nothing is sent). */
  configure(config: WebhookConfig | undefined): void {
    this.config = config?.url ? resolve(config, this.profile) : undefined;
  }

  settings(): ResolvedConfig | undefined {
    return this.config && { ...this.config, events: { ...this.config.events } };
  }

  /** Switches default to on; `null` means the event has no switch (LivechatEdit). */
  isOn(eventSwitch: WebhookSwitch | null): boolean {
    if (!this.config) return false;
    return eventSwitch === null || this.config.events[eventSwitch] !== false;
  }

  /**
   * Sends one event. Resolves after its first attempt when Rocket.Chat would make the caller wait
   * (`blocking` and `awaitFirstAttempt`), otherwise at once.
   */
  async emit(input: Omit<WebhookEvent, 'eventId'>, eventSwitch: WebhookSwitch | null, blocking: boolean): Promise<void> {
    if (this.stopped || !this.isOn(eventSwitch)) return;
    const event: WebhookEvent = { eventId: randomId(), ...input };
    if (this.dropCount > 0) {
      this.dropCount -= 1;
      this.record(event, 0, 'dropped', {});
      return;
    }
    const pending: Pending = { event, duplicate: this.duplicateCount > 0 };
    if (pending.duplicate) this.duplicateCount -= 1;
    if (this.paused) return void this.paused.push(pending);
    if (this.hold) {
      this.hold.buffer.push(pending);
      if (this.hold.buffer.length >= this.hold.size) this.releaseHeld();
      return;
    }
    const first = this.send(pending);
    if (blocking && this.config?.awaitFirstAttempt) await first;
  }

  dropNext(n: number): void {
    this.dropCount = n;
  }

  duplicateNext(n: number): void {
    this.duplicateCount = n;
  }

  /** Buffers the next `n` events and sends them in a shuffled order once the n-th arrives. */
  holdAndReorder(n: number): void {
    this.hold = { size: n, buffer: [] };
  }

  /** Sends what `holdAndReorder` holds now, shuffled, even if fewer than n arrived. */
  releaseHeld(): void {
    const held = this.hold?.buffer ?? [];
    this.hold = undefined;
    for (const pending of shuffle(held)) void this.send(pending);
  }

  pause(): void {
    this.paused ??= [];
  }

  /** Sends what arrived while paused, in the original order. */
  resume(): void {
    const buffered = this.paused ?? [];
    this.paused = undefined;
    for (const pending of buffered) void this.send(pending);
  }

  /** True when nothing is being sent, waiting for a retry, held or paused. */
  idle(): boolean {
    return this.chains.size === 0 && this.timers.size === 0 && this.aborts.size === 0 && !this.hold?.buffer.length && !this.paused?.length;
  }

  clearFaults(): void {
    this.dropCount = 0;
    this.duplicateCount = 0;
    this.hold = undefined;
    this.paused = undefined;
  }

  /** Forgets scheduled retries and aborts requests in flight (reset and stop). */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const abort of this.aborts) abort.abort();
    this.clearFaults();
  }

  stop(): void {
    this.stopped = true;
    this.cancelAll();
  }

  private send(pending: Pending): Promise<void> {
    const first = this.chain(pending.event, false);
    if (pending.duplicate) void this.chain(pending.event, true);
    return first;
  }

  private chain(event: WebhookEvent, duplicate: boolean): Promise<void> {
    const key = event.rid ?? '';
    const previous = this.chains.get(key) ?? Promise.resolve();
    const first = previous.then(() => this.attempt(event, 1, duplicate));
    this.chains.set(key, first);
    void first.then(() => {
      if (this.chains.get(key) === first) this.chains.delete(key);
    });
    return first;
  }

  private async attempt(event: WebhookEvent, n: number, duplicate: boolean): Promise<void> {
    const config = this.config;
    if (this.stopped || !config) return;
    const abort = new AbortController();
    this.aborts.add(abort);
    const at = new Date();
    const result = await postJson(config.url, event.payload, { token: config.token, timeoutMs: config.httpTimeoutMs, signal: abort.signal });
    this.aborts.delete(abort);
    if (this.stopped) return;
    const { status, error } = result;
    const retryable = status === undefined || config.retryOn === 'any-non-200' || status >= 500 || status === 429;
    const outcome: AttemptOutcome = status === 200 ? 'success' : !retryable ? 'failed' : n >= config.maxAttempts ? 'gave-up' : 'retry';
    this.record(event, n, outcome, { status, error, duplicate, at });
    if (status === 200) this.onSuccess(event, result.body ?? '');
    if (outcome !== 'retry') return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(event, n + 1, duplicate);
    }, config.retryDelayMs);
    this.timers.add(timer);
  }

  private record(event: WebhookEvent, attempt: number, outcome: AttemptOutcome, detail: { status?: number; error?: string; duplicate?: boolean; at?: Date }): void {
    const entry: WebhookAttempt = {
      eventId: event.eventId,
      type: event.type,
      rid: event.rid,
      attempt,
      at: detail.at ?? new Date(),
      status: detail.status,
      error: detail.error,
      outcome,
      duplicate: detail.duplicate || undefined,
      payload: event.payload,
    };
    this.log.push(entry);
    this.attempts.emit('attempt', entry);
  }
}

/** A shuffle that never returns the original order when there are two or more events. */
function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  if (out.length > 1 && out.every((item, i) => item === items[i])) out.reverse();
  return out;
}
