import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';

export interface RocketChatServerInfo {
  version: string;
}

/** The only place that knows Rocket.Chat's wire: URLs, field names and error strings. */
@Injectable()
export class RocketChatClient {
  constructor(private readonly http: HttpService) {}

  /** `GET /api/info`: public, cheap; used by the readiness probe. */
  async serverInfo(timeoutMs?: number): Promise<RocketChatServerInfo> {
    const { status, data } = await firstValueFrom(this.http.get<{ version?: unknown }>('/api/info', { timeout: timeoutMs }));
    if (status !== 200) throw new Error(`Rocket.Chat answered HTTP ${status}`);
    return { version: typeof data.version === 'string' ? data.version : 'unknown' };
  }
}
