import { featuresOf, parseVersion, RocketChatFeatures } from './rocketchat-version';

export type VersionSource = 'configured' | 'learnt' | 'unknown';

export interface KnownVersion {
  version: string | null;
  source: VersionSource;
}

/**
 * The Rocket.Chat version omnigate believes it talks to. `ROCKETCHAT_VERSION` fixes it; otherwise
 * it is learnt from `GET /api/info` at start-up and again whenever Rocket.Chat answers after an
 * outage (an upgrade usually comes with a restart, which omnigate sees as an outage).
 */
export class RocketChatVersionTracker {
  private version: string | null;
  private source: VersionSource;
  private afterOutage = false;
  private learning: Promise<void> | undefined;

  constructor(
    configured: string | undefined,
    private readonly fetchVersion: () => Promise<string>,
    private readonly onChange: (version: string) => void,
  ) {
    this.version = configured ?? null;
    this.source = configured ? 'configured' : 'unknown';
    if (configured) onChange(configured);
  }

  current(): KnownVersion {
    return { version: this.version, source: this.source };
  }

  features(): RocketChatFeatures {
    return featuresOf(parseVersion(this.version ?? undefined));
  }

  /** Learns the version now unless it is configured; failures leave what was known. */
  learn(): Promise<void> {
    if (this.source === 'configured') return Promise.resolve();
    this.learning ??= this.fetchVersion()
      .then((v) => this.accept(v))
      .catch(() => undefined)
      .finally(() => (this.learning = undefined));
    return this.learning;
  }

  /** Before a version-dependent call: learn first when nothing is known yet (bounded by the call's timeout). */
  async ensureKnown(): Promise<void> {
    if (this.source === 'unknown') await this.learn();
  }

  /** A version Rocket.Chat reported (the readiness probe reads `/api/info` too). */
  accept(version: string): void {
    if (this.source === 'configured' || !parseVersion(version)) return;
    const changed = version !== this.version;
    this.version = version;
    this.source = 'learnt';
    if (changed) this.onChange(version);
  }

  noteUnavailable(): void {
    this.afterOutage = true;
  }

  /** Rocket.Chat answered: if it was away, it may have come back as another version. */
  noteAnswered(): void {
    if (!this.afterOutage) return;
    this.afterOutage = false;
    void this.learn();
  }
}
