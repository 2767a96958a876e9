import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { RocketChatClient } from './rocketchat.client';

/**
 * Reports Rocket.Chat reachability as a detail of the `rocketchat` indicator, which itself is never
 * `down`: the gateway keeps serving (and queueing outbound messages) while Rocket.Chat is away.
 */
@Injectable()
export class RocketChatHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly client: RocketChatClient,
  ) {}

  async check<K extends string>(key: K): Promise<HealthIndicatorResult<K>> {
    const session = this.indicator.check(key);
    const started = Date.now();
    try {
      const reported = await this.client.serverInfo(1000);
      const { version, source } = this.client.knownVersion();
      // with ROCKETCHAT_VERSION set, the version in use and the one Rocket.Chat reports may differ
      return session.up({ reachable: true, version, versionSource: source, reportedVersion: reported.version, latencyMs: Date.now() - started });
    } catch (error) {
      const { version, source } = this.client.knownVersion();
      return session.up({ reachable: false, version, versionSource: source, reason: error instanceof Error ? error.message : String(error) });
    }
  }
}
