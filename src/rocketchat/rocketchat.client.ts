import { HttpService } from '@nestjs/axios';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { normaliseReason, RocketChatRejectedError, RocketChatUnavailableError } from './rocketchat.errors';
import type { Readable } from 'node:stream';
import type {
  RcDepartment,
  RcDownload,
  RcMessage,
  RcRoom,
  RcSendMessageResult,
  RcTransferResult,
  RcUpload,
  RcVisitor,
  RcVisitorInput,
  RcWidgetConfig,
} from './rocketchat.types';
import { KnownVersion, RocketChatVersionTracker } from './rocketchat-version.tracker';
import { date, Json, obj, str, toDepartments, toMessage, toRoom, toVisitor, toWidgetConfig } from './rocketchat.wire';

export interface RocketChatServerInfo {
  version: string;
}

/** Labels for logs and metrics: the route template, never a URL that could hold a token. */
type Endpoint =
  | 'GET info'
  | 'POST livechat/visitor'
  | 'GET livechat/visitor/:token'
  | 'DELETE livechat/visitor/:token'
  | 'GET livechat/room'
  | 'POST livechat/room.close'
  | 'POST livechat/room.transfer'
  | 'POST livechat/visitor/department.transfer'
  | 'POST livechat/room.forward'
  | 'POST livechat/room.survey'
  | 'POST livechat/message'
  | 'GET livechat/message/:_id'
  | 'PUT livechat/message/:_id'
  | 'DELETE livechat/message/:_id'
  | 'GET livechat/messages.history/:rid'
  | 'POST livechat/offline.message'
  | 'POST livechat/upload/:rid'
  | 'GET livechat/config'
  | 'GET livechat/department'
  | 'GET file-upload/:id';

/**
 * The only place that knows Rocket.Chat's wire: URLs, field names and error strings. One method per
 * livechat endpoint omnigate uses. Failures are exactly two errors: RocketChatRejectedError (it
 * answered no) and RocketChatUnavailableError (it could not answer). No hidden retries, except that
 * a send whose `_id` Rocket.Chat already holds is recognised as delivered.
 */
@Injectable()
export class RocketChatClient implements OnApplicationBootstrap {
  private readonly logger = new Logger(RocketChatClient.name);
  private readonly calls;
  private readonly latency;
  private readonly version: RocketChatVersionTracker;

  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.calls = metrics.counter('omnigate_rocketchat_requests_total', 'Calls to Rocket.Chat by endpoint and outcome', ['endpoint', 'outcome']);
    this.latency = metrics.histogram('omnigate_rocketchat_request_duration_seconds', 'Latency of calls to Rocket.Chat', ['endpoint'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
    const info = metrics.gauge('omnigate_rocketchat_version_info', 'The Rocket.Chat version omnigate talks to (value 1)', ['version']);
    this.version = new RocketChatVersionTracker(
      config.rocketchat.version,
      async () => (await this.fetchInfo()).version,
      (version) => {
        info.reset();
        info.set({ version }, 1);
        this.logger.log(`Rocket.Chat ${version}`);
      },
    );
  }

  /** Learns Rocket.Chat's version in the background: start-up does not wait for Rocket.Chat. */
  onApplicationBootstrap(): void {
    void this.version.learn();
  }

  /** `GET /api/info`: public and cheap; the readiness probe's reachability detail. */
  async serverInfo(timeoutMs?: number): Promise<RocketChatServerInfo> {
    const info = await this.fetchInfo(timeoutMs);
    this.version.accept(info.version);
    return info;
  }

  /** What omnigate believes Rocket.Chat's version is, and from where (for health and metrics only). */
  knownVersion(): KnownVersion {
    return this.version.current();
  }

  private async fetchInfo(timeoutMs?: number): Promise<RocketChatServerInfo> {
    // anonymous callers learn major.minor only ("8.8"); with user credentials Rocket.Chat answers the full version
    const body = await this.call('GET info', { method: 'GET', url: '/api/info', timeout: timeoutMs, headers: this.userHeaders() });
    return { version: str(body.version) ?? 'unknown' };
  }

  /** Creates or updates the visitor identified by `token` (custom fields with per-field overwrite). */
  async registerVisitor(input: RcVisitorInput): Promise<RcVisitor> {
    const body = await this.call('POST livechat/visitor', {
      method: 'POST',
      url: '/api/v1/livechat/visitor',
      headers: this.userHeaders(),
      data: { visitor: input },
    });
    return toVisitor(body.visitor);
  }

  async getVisitor(token: string): Promise<RcVisitor> {
    const body = await this.call('GET livechat/visitor/:token', {
      method: 'GET',
      url: `/api/v1/livechat/visitor/${encodeURIComponent(token)}`,
      headers: this.userHeaders(),
    });
    return toVisitor(body.visitor);
  }

  /** Rocket.Chat refuses (`visitor-has-open-rooms`) while the visitor has an open room. */
  async deleteVisitor(token: string): Promise<void> {
    await this.call('DELETE livechat/visitor/:token', {
      method: 'DELETE',
      url: `/api/v1/livechat/visitor/${encodeURIComponent(token)}`,
      headers: this.userHeaders(),
    });
  }

  /**
   * The visitor's open room, or a new one (`newRoom: true`). Creates a room when none is open: never
   * call it just to read. The department comes from the visitor record, not from this call.
   */
  async openRoom(input: { token: string; agentId?: string; rid?: string }): Promise<{ room: RcRoom; newRoom: boolean }> {
    const params: Record<string, string> = { token: input.token };
    if (input.rid) params.rid = input.rid;
    if (input.agentId) params.agentId = input.agentId;
    const body = await this.call('GET livechat/room', { method: 'GET', url: '/api/v1/livechat/room', params });
    return { room: toRoom(body.room), newRoom: body.newRoom === true };
  }

  /** Closes the room as the visitor; Rocket.Chat records the comment "Closed by visitor". */
  async closeRoom(input: { rid: string; token: string }): Promise<{ rid: string; comment?: string }> {
    const body = await this.call('POST livechat/room.close', { method: 'POST', url: '/api/v1/livechat/room.close', data: input });
    return { rid: str(body.rid) ?? input.rid, comment: str(body.comment) };
  }

  /**
   * Moves the visitor's room to another department. 7.x answers the moved room; 8.x's replacement
   * answers `{ success }` only, so the room is read back to learn who serves it now.
   */
  async transferRoom(input: { rid: string; token: string; department: string }): Promise<RcTransferResult> {
    await this.version.ensureKnown();
    if (this.version.features().departmentTransfer === 'room.transfer') {
      const body = await this.call('POST livechat/room.transfer', { method: 'POST', url: '/api/v1/livechat/room.transfer', data: input });
      return transferResult(obj(body.room));
    }
    await this.call('POST livechat/visitor/department.transfer', { method: 'POST', url: '/api/v1/livechat/visitor/department.transfer', data: input });
    return this.afterTransfer(input, input.department);
  }

  /**
   * The room read back as the visitor after a transfer whose answer names nobody: who serves it
   * now. One that was closed at once (an agent was quick) is left to the close webhook.
   */
  private async afterTransfer(input: { rid: string; token: string }, departmentId?: string): Promise<RcTransferResult> {
    try {
      const { room } = await this.openRoom({ token: input.token, rid: input.rid });
      return { open: room.open, departmentId: room.departmentId ?? departmentId, servedBy: room.servedBy };
    } catch (error) {
      if (!(error instanceof RocketChatRejectedError)) throw error;
      return { open: false, departmentId };
    }
  }

  /**
   * The visitor's survey of a room, open or closed (`livechat/room.survey`, CONTRACT-NOTES §14.5):
   * values are strings, ratings '1'-'5'. Rocket.Chat drops unknown names and values silently and
   * answers what it stored, which is returned.
   */
  async surveyRoom(input: { rid: string; token: string; data: Array<{ name: string; value: string }> }): Promise<Record<string, string>> {
    const body = await this.call('POST livechat/room.survey', { method: 'POST', url: '/api/v1/livechat/room.survey', data: input });
    const stored = obj(body.data) ?? {};
    return Object.fromEntries(Object.entries(stored).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  /**
   * The visitor's own message, deleted (DELETE livechat/message/:_id; the route reads its body, so
   * `{ token, rid }` travel as JSON: CONTRACT-NOTES §14.3). False when Rocket.Chat no longer has it.
   */
  async deleteMessage(input: { token: string; rid: string; id: string }): Promise<boolean> {
    try {
      await this.call('DELETE livechat/message/:_id', {
        method: 'DELETE',
        url: `/api/v1/livechat/message/${encodeURIComponent(input.id)}`,
        data: { token: input.token, rid: input.rid },
      });
      return true;
    } catch (error) {
      if (error instanceof RocketChatRejectedError && error.reason === 'invalid-message') return false;
      throw error;
    }
  }

  /** Whether the Rocket.Chat user omnigate acts as is configured (ROCKETCHAT_USER_ID, ROCKETCHAT_AUTH_TOKEN). */
  hasCredentials(): boolean {
    return Object.keys(this.userHeaders()).length > 0;
  }

  /**
   * Forwards the visitor's room to one agent (`livechat/room.forward` as the configured user, who
   * needs `view-l-room` and `transfer-livechat-guest`; CONTRACT-NOTES §14.2), then reads the room
   * back as the visitor to learn who serves it now (the route answers `{ success }` only).
   */
  async forwardToAgent(input: { rid: string; token: string; agentId: string }): Promise<RcTransferResult> {
    await this.call('POST livechat/room.forward', {
      method: 'POST',
      url: '/api/v1/livechat/room.forward',
      headers: this.userHeaders(),
      data: { roomId: input.rid, userId: input.agentId },
    });
    return this.afterTransfer(input);
  }

  /**
   * Sends a visitor message with omnigate's id as Rocket.Chat's `_id`. Rocket.Chat answers a
   * repeated `_id` with a 400 (CONTRACT-NOTES §6), so on any refusal the client asks whether the
   * message is already there and, if so, reports it delivered.
   */
  async sendMessage(input: { token: string; rid: string; id: string; text: string }): Promise<RcSendMessageResult> {
    try {
      const body = await this.call('POST livechat/message', {
        method: 'POST',
        url: '/api/v1/livechat/message',
        data: { token: input.token, rid: input.rid, msg: input.text, _id: input.id },
      });
      return { message: toMessage(body.message), alreadyDelivered: false };
    } catch (error) {
      if (!(error instanceof RocketChatRejectedError)) throw error;
      const existing = await this.getMessage({ id: input.id, token: input.token, rid: input.rid }).catch((lookup: unknown) => {
        if (lookup instanceof RocketChatUnavailableError) throw lookup;
        return null;
      });
      if (!existing) throw error;
      // stored by an earlier attempt, and edited in omnigate since (an edit while pending): the
      // text Rocket.Chat holds is brought up to date, still one message
      if (existing.text !== input.text) return { message: await this.editMessage(input), alreadyDelivered: true };
      return { message: existing, alreadyDelivered: true };
    }
  }

  /**
   * The visitor's own message, edited (PUT livechat/message/:_id, CONTRACT-NOTES §14.3): Rocket.Chat
   * refuses others' messages (`error-action-not-allowed`) and an unknown id (`invalid-message`).
   */
  async editMessage(input: { token: string; rid: string; id: string; text: string }): Promise<RcMessage> {
    const body = await this.call('PUT livechat/message/:_id', {
      method: 'PUT',
      url: `/api/v1/livechat/message/${encodeURIComponent(input.id)}`,
      data: { token: input.token, rid: input.rid, msg: input.text },
    });
    return toMessage(body.message);
  }

  /** One message of the visitor's room, or null when Rocket.Chat does not have it. */
  async getMessage(input: { id: string; token: string; rid: string }): Promise<RcMessage | null> {
    try {
      const body = await this.call('GET livechat/message/:_id', {
        method: 'GET',
        url: `/api/v1/livechat/message/${encodeURIComponent(input.id)}`,
        params: { token: input.token, rid: input.rid },
      });
      return toMessage(body.message);
    } catch (error) {
      if (error instanceof RocketChatRejectedError && error.reason === 'invalid-message') return null;
      throw error;
    }
  }

  /** Messages newest first, strictly before `end` when given (system messages included). */
  async messageHistory(input: { rid: string; token: string; end?: Date; limit?: number; offset?: number }): Promise<RcMessage[]> {
    const params: Record<string, string> = { token: input.token };
    if (input.end) params.end = input.end.toISOString();
    if (input.limit !== undefined) params.limit = String(input.limit);
    if (input.offset !== undefined) params.offset = String(input.offset);
    const body = await this.call('GET livechat/messages.history/:rid', {
      method: 'GET',
      url: `/api/v1/livechat/messages.history/${encodeURIComponent(input.rid)}`,
      params,
    });
    return (Array.isArray(body.messages) ? body.messages : []).map(toMessage);
  }

  async sendOfflineMessage(input: { name: string; email: string; message: string; department?: string }): Promise<void> {
    await this.call('POST livechat/offline.message', { method: 'POST', url: '/api/v1/livechat/offline.message', data: input });
  }

  /** Uploads a visitor file into the room; Rocket.Chat answers with the file message itself. */
  async uploadFile(input: { rid: string; token: string; file: RcUpload; msg?: string; description?: string }): Promise<RcMessage> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(input.file.data)], { type: input.file.contentType }), input.file.filename);
    if (input.msg) form.append('msg', input.msg);
    if (input.description) form.append('description', input.description);
    const body = await this.call('POST livechat/upload/:rid', {
      method: 'POST',
      url: `/api/v1/livechat/upload/${encodeURIComponent(input.rid)}`,
      headers: { 'x-visitor-token': input.token },
      data: form,
    });
    return toMessage(obj(body.message) ?? body);
  }

  /**
   * A file of the visitor's room, streamed. Rocket.Chat serves `/file-upload/<id>/<name>` to a
   * livechat visitor who names the room and its token (`rc_room_type=l&rc_rid&rc_token`), and only
   * files of that room (CONTRACT-NOTES §16).
   */
  async downloadFile(input: { fileId: string; name: string; rid: string; token: string }): Promise<RcDownload> {
    const stopTimer = this.latency.startTimer({ endpoint: 'GET file-upload/:id' });
    let response: AxiosResponse<Readable>;
    try {
      response = await this.http.axiosRef.request<Readable>({
        method: 'GET',
        url: `/file-upload/${encodeURIComponent(input.fileId)}/${encodeURIComponent(input.name)}`,
        params: { rc_room_type: 'l', rc_rid: input.rid, rc_token: input.token },
        responseType: 'stream',
      });
    } catch (error) {
      stopTimer();
      this.version.noteUnavailable();
      this.calls.inc({ endpoint: 'GET file-upload/:id', outcome: 'unavailable' });
      throw new RocketChatUnavailableError('GET file-upload/:id', String((error as { code?: unknown }).code ?? (error as Error).message));
    }
    stopTimer();
    const { status, data, headers } = response;
    if (status === 200) {
      this.calls.inc({ endpoint: 'GET file-upload/:id', outcome: 'ok' });
      const length = Number(headers['content-length']);
      return { stream: data, contentType: String(headers['content-type'] ?? 'application/octet-stream'), length: Number.isFinite(length) ? length : undefined };
    }
    data.destroy();
    if (status >= 400 && status < 500) {
      this.calls.inc({ endpoint: 'GET file-upload/:id', outcome: 'rejected' });
      throw new RocketChatRejectedError('GET file-upload/:id', status, status === 404 ? 'file-not-found' : 'file-forbidden');
    }
    this.calls.inc({ endpoint: 'GET file-upload/:id', outcome: 'unavailable' });
    throw new RocketChatUnavailableError('GET file-upload/:id', `HTTP ${status}`, status);
  }

  async widgetConfig(input: { token?: string; department?: string } = {}): Promise<RcWidgetConfig> {
    const params: Record<string, string> = {};
    if (input.token) params.token = input.token;
    if (input.department) params.department = input.department;
    const body = await this.call('GET livechat/config', { method: 'GET', url: '/api/v1/livechat/config', params });
    return toWidgetConfig(body.config);
  }

  /** True when user credentials are configured (the routes that need a Rocket.Chat user). */
  hasUserCredentials(): boolean {
    return Object.keys(this.userHeaders()).length > 0;
  }

  /**
   * Every department, disabled ones included, through the authenticated list (needs
   * ROCKETCHAT_USER_ID/ROCKETCHAT_AUTH_TOKEN of a user with `view-livechat-departments` or `view-l-room`).
   */
  async listDepartments(): Promise<RcDepartment[]> {
    const out: RcDepartment[] = [];
    for (let offset = 0; ; ) {
      const body = await this.call('GET livechat/department', {
        method: 'GET',
        url: '/api/v1/livechat/department',
        headers: this.userHeaders(),
        params: { count: '100', offset: String(offset) },
      });
      const page = toDepartments(body.departments);
      out.push(...page);
      offset += page.length;
      const total = typeof body.total === 'number' ? body.total : offset;
      if (!page.length || offset >= total) return out;
    }
  }

  /** Rocket.Chat ignores these on its public routes (CONTRACT-NOTES §0) but they cost nothing. */
  private userHeaders(): Record<string, string> {
    const { userId, authToken } = this.config.rocketchat;
    return userId && authToken ? { 'X-User-Id': userId, 'X-Auth-Token': authToken } : {};
  }

  private async call(endpoint: Endpoint, request: AxiosRequestConfig): Promise<Json> {
    const stopTimer = this.latency.startTimer({ endpoint });
    let response: AxiosResponse<unknown>;
    try {
      // the configured axios instance itself: HttpService's Observable cancels the finished
      // request on unsubscribe, building an Error with its stack per call (1% of a send's CPU)
      response = await this.http.axiosRef.request<unknown>(request);
    } catch (error) {
      stopTimer();
      this.version.noteUnavailable();
      const code = (error as { code?: unknown }).code;
      const cause = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timeout' : typeof code === 'string' ? code : String((error as Error).message);
      this.calls.inc({ endpoint, outcome: 'unavailable' });
      this.logger.warn(`${endpoint}: ${cause}`);
      throw new RocketChatUnavailableError(endpoint, cause);
    }
    stopTimer();
    const { status, data, headers } = response;
    if (status < 500) this.version.noteAnswered();
    else this.version.noteUnavailable();
    this.logger.debug(`${endpoint} → HTTP ${status}`);
    if (status === 200) {
      const body = obj(data);
      if (!body) {
        this.calls.inc({ endpoint, outcome: 'malformed' });
        throw new RocketChatUnavailableError(endpoint, 'the answer is not a JSON object', status);
      }
      this.calls.inc({ endpoint, outcome: 'ok' });
      return body;
    }
    if (status === 429) {
      this.calls.inc({ endpoint, outcome: 'rate_limited' });
      const reset = Number(headers['x-ratelimit-reset']);
      const retryAfterMs = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - Date.now()) : waitFromText(data);
      throw new RocketChatUnavailableError(endpoint, 'rate limited', status, retryAfterMs);
    }
    if (status >= 400 && status < 500) {
      this.calls.inc({ endpoint, outcome: 'rejected' });
      const { reason, detail } = normaliseReason(data);
      throw new RocketChatRejectedError(endpoint, status, reason, detail);
    }
    this.calls.inc({ endpoint, outcome: 'unavailable' });
    throw new RocketChatUnavailableError(endpoint, `HTTP ${status}`, status);
  }
}

function transferResult(room: Json | undefined): RcTransferResult {
  const servedBy = obj(room?.servedBy);
  return {
    open: room?.open === true,
    departmentId: str(room?.departmentId),
    servedBy: servedBy && str(servedBy._id) ? { id: str(servedBy._id)!, username: str(servedBy.username) ?? '', since: date(servedBy.ts) } : undefined,
  };
}

/** "... You must wait 54 seconds before trying this endpoint again." */
function waitFromText(data: unknown): number | undefined {
  const text = str(obj(data)?.error);
  const seconds = text ? /wait (\d+) seconds/.exec(text)?.[1] : undefined;
  return seconds ? Number(seconds) * 1000 : undefined;
}

