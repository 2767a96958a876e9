import type { ServerResponse } from 'node:http';
import { RestApi } from './api';
import { DEFAULT_API_USERS } from './auth';
import { serveFile, type FileAccess } from './file-access';
import { restTypings } from './rest-typings';
import { consolePage } from './console';
import type { SimContext } from './context';
import { RoomEvents } from './events';
import { CallFaults, type Gate } from './faults';
import { MessageService, type FileInput } from './messages';
import { versionProfile, type VersionProfile } from './profile';
import { RateLimiter } from './rate-limit';
import { ControlError, RoomLifecycle, type CloseInput } from './rooms';
import { json, type RequestContext } from './router';
import { SimHttpServer, writeReply } from './server';
import { ControlApi } from './sim-routes';
import { SimStore } from './store';
import type { Agent, AgentStatus, ApiUser, Message, RateLimitOptions, Room, SimulatorOptions, StoredDepartment, WebhookAttempt, WebhookConfig } from './types';
import { parseVersion, SIM_DEFAULT_VERSION } from './version';
import { WebhookDispatcher, type ResolvedWebhookConfig } from './webhooks';

export interface WebhookFaults {
  /** the next n events are not sent at all (logged as `dropped`) */
  dropNext(n: number): void;
  /** the next n events are each delivered twice */
  duplicateNext(n: number): void;
  /** buffers the next n events, then sends them in a shuffled order */
  holdAndReorder(n: number): void;
  /** sends what holdAndReorder holds now, even if fewer than n arrived */
  releaseHeld(): void;
  pause(): void;
  resume(): void;
}

export interface SimulatorFaults {
  /** true: stop listening and drop connections (ECONNREFUSED); false: listen again on the same port */
  refuseConnections(on: boolean): Promise<void>;
  setLatency(ms: number): void;
  /** the next n REST calls (under /api/v1, optionally only `route`, e.g. "POST livechat/message") answer `status` */
  failNext(n: number, status?: number, route?: string): void;
  /** the next n REST calls run and store their effect but are never answered */
  timeoutNext(n: number, route?: string): void;
  /** the next REST call (optionally only `route`) waits, before it is handled, until `release()` */
  holdNext(route?: string): Gate;
  webhooks: WebhookFaults;
  /** removes every pending fault and the latency (connections are not touched) */
  clear(): void;
}

/** Rocket.Chat Omnichannel's livechat API, webhook and agent side, in one process. */
export class RocketChatSimulator {
  // No getters in this code: ts-node's SWC mode maps the tsconfig target es2023 to es3, where
  // accessors do not compile, and `ts-node tools/rocketchat-sim/main.ts` must work.
  /** `http://127.0.0.1:PORT`, set once listening; the port stays the same across refuseConnections */
  url = '';
  /** the agent console page */
  consoleUrl = '';
  readonly store: SimStore;
  readonly faults: SimulatorFaults;
  private readonly webhooks: WebhookDispatcher;
  private readonly callFaults = new CallFaults();
  private readonly rooms: RoomLifecycle;
  private readonly messages: MessageService;
  private readonly events: RoomEvents;
  private readonly http: SimHttpServer;
  private readonly profile: VersionProfile;
  private limiter: RateLimiter | undefined;
  private readonly fileAccess: FileAccess;

  private constructor(options: SimulatorOptions) {
    const version = options.version ?? SIM_DEFAULT_VERSION;
    parseVersion(version); // refuses a malformed version at start, not at the first request
    this.profile = versionProfile(version);
    this.store = new SimStore(options);
    this.webhooks = new WebhookDispatcher(this.store.webhookLog, (event, body) => this.keepCrmData(event.rid, body), options.webhook, this.profile.webhook);
    const events = new RoomEvents(this.store, this.webhooks);
    this.events = events;
    this.rooms = new RoomLifecycle(this.store, events, {
      acceptChatsWithNoAgents: options.acceptChatsWithNoAgents ?? true,
      delayMs: options.roomCreateDelayMs ?? 5,
      oneOpenRoomPerToken: this.profile.oneOpenRoomPerToken,
    });
    this.messages = new MessageService(this.store, events);
    this.configureRateLimit(options.rateLimit ?? true);
    this.callFaults.latencyMs = options.latencyMs ?? 0;
    const maxUploadBytes = options.maxUploadBytes ?? 10 * 1024 * 1024;
    const context: SimContext = {
      store: this.store,
      rooms: this.rooms,
      messages: this.messages,
      events,
      visitorCustomFields: options.visitorCustomFields ?? ['address', 'plan'],
      maxUploadBytes,
      profile: this.profile,
      messageEditing: options.messageEditing ?? true,
      messageDeleting: options.messageDeleting ?? true,
      apiUsers: options.apiUsers ?? DEFAULT_API_USERS,
    };
    this.fileAccess = { store: this.store, protectFiles: options.protectFiles ?? true, fileRoomCheck: this.profile.fileRoomCheck, apiUsers: context.apiUsers };
    const api = new RestApi(context, this.callFaults, () => this.limiter);
    const control = new ControlApi(this);
    this.http = new SimHttpServer((ctx, res) => this.route(ctx, res, api, control), maxUploadBytes + 1024 * 1024);
    this.faults = this.buildFaults();
  }

  static async start(options: SimulatorOptions = {}): Promise<RocketChatSimulator> {
    // loading the validators takes about half a second: before listening, not inside a client's timeout
    restTypings();
    const sim = new RocketChatSimulator(options);
    await sim.http.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    const { host, port } = sim.http.address();
    sim.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    sim.consoleUrl = `${sim.url}/console`;
    return sim;
  }

  /** The Rocket.Chat version played, as `GET /api/info` answers it. */
  version(): string {
    return this.profile.version;
  }

  /** What the played version changes: routes, error texts, the webhook sender's defaults. */
  versionProfile(): VersionProfile {
    return { ...this.profile, webhook: { ...this.profile.webhook } };
  }

  listAgents(): Agent[] {
    return [...this.store.agents.values()];
  }

  listDepartments(): StoredDepartment[] {
    return [...this.store.departments.values()];
  }

  /** Switches a department's flags (enabled, showOnRegistration, showOnOfflineForm). */
  updateDepartment(id: string, patch: Partial<Pick<StoredDepartment, 'enabled' | 'showOnRegistration' | 'showOnOfflineForm' | 'name'>>): StoredDepartment {
    const department = this.store.departments.get(id);
    if (!department) throw new ControlError(`no department ${id}`);
    for (const key of ['enabled', 'showOnRegistration', 'showOnOfflineForm', 'name'] as const) {
      if (patch[key] !== undefined) Object.assign(department, { [key]: patch[key] });
    }
    return department;
  }

  /** The credentials the authenticated routes accept (the first is the default user). */
  apiUsers(): ApiUser[] {
    return this.fileAccess.apiUsers.map((u) => ({ ...u }));
  }

  /** The current webhook settings (defaults filled in), or undefined when no URL is set. */
  webhookSettings(): ResolvedWebhookConfig | undefined {
    return this.webhooks.settings();
  }

  async stop(): Promise<void> {
    this.webhooks.stop();
    await this.http.close();
  }

  /** Merges into the current settings; `{ url: '' }` turns the webhook off. */
  configureWebhook(patch: Partial<WebhookConfig>): void {
    const current = this.webhooks.settings();
    const events = { ...current?.events, ...patch.events };
    this.webhooks.configure({ ...current, ...patch, url: patch.url ?? current?.url ?? '', events });
  }

  configureRateLimit(rateLimit: boolean | RateLimitOptions): void {
    this.limiter = rateLimit === false ? undefined : new RateLimiter(rateLimit === true ? {} : rateLimit);
  }

  /** Back to the seed data; webhook settings stay, faults, retries and rate-limit windows go. */
  reset(): void {
    this.webhooks.cancelAll();
    this.callFaults.clear();
    this.limiter?.reset();
    this.store.reset();
  }

  takeRoom(rid: string, agentUsername: string): Promise<Room> {
    return this.rooms.take(rid, agentUsername);
  }

  /** The serving agent writes (or `agent`, who must exist). Resolves after the Message webhook's first attempt. */
  sendAgentMessage(rid: string, input: { text: string; agent?: string; file?: { name: string; type: string; content: string | Buffer } }): Promise<Message> {
    const file: FileInput | undefined = input.file && { name: input.file.name, type: input.file.type, data: Buffer.from(input.file.content) };
    return this.messages.fromAgent(rid, { text: input.text, agentUsername: input.agent, file });
  }

  async forward(rid: string, target: { agentUsername?: string; departmentId?: string }): Promise<Room> {
    if (target.agentUsername) return this.rooms.forwardToAgent(rid, target.agentUsername);
    if (!target.departmentId) throw new ControlError('forward needs agentUsername or departmentId');
    const room = this.rooms.openRoom(rid);
    const by = room.servedBy ? this.rooms.agent(room.servedBy.username) : { _id: 'rocket.cat', username: 'rocket.cat' };
    if (!(await this.rooms.forwardToDepartment(room, target.departmentId, by))) throw new ControlError(`room ${rid} cannot be forwarded`);
    return room;
  }

  /** Closes and starts the close webhook without waiting for it, as Rocket.Chat does. */
  async closeRoom(rid: string, input: CloseInput): Promise<Room> {
    const room = this.store.rooms.get(rid);
    if (!room) throw new ControlError(`no room ${rid}`);
    this.rooms.close(room, input);
    return room;
  }

  setAgentStatus(username: string, status: AgentStatus): Agent {
    const agent = this.rooms.agent(username);
    agent.status = status;
    return agent;
  }

  editRoomInfo(rid: string, info: { topic?: string; tags?: string[]; livechatData?: Record<string, string> }): Promise<Room> {
    return this.rooms.editInfo(rid, info);
  }

  /** What Rocket.Chat's lead-capture hook does after finding an email/phone in a visitor message. */
  async captureLead(token: string, lead: { email?: string; phone?: string }): Promise<void> {
    const visitor = this.store.visitorByToken(token);
    if (!visitor) throw new ControlError(`no visitor with token ${token}`);
    if (lead.email) visitor.visitorEmails = [...(visitor.visitorEmails ?? []), { address: lead.email }];
    if (lead.phone) visitor.phone = [...(visitor.phone ?? []), { phoneNumber: lead.phone }];
    visitor._updatedAt = this.store.clock.now();
    const room = this.store.openRoomOf(token) ?? this.store.roomsOf(token).at(-1);
    if (!room) throw new ControlError(`visitor ${token} has no room`);
    await this.events.leadCapture(room);
  }

  /** Resolves with the log once `predicate(log)` holds; rejects after `timeoutMs`. Event-driven, no polling. */
  waitForWebhooks(predicate: (log: readonly WebhookAttempt[]) => boolean, timeoutMs = 5000): Promise<WebhookAttempt[]> {
    const log = this.store.webhookLog;
    if (predicate(log)) return Promise.resolve([...log]);
    return new Promise((resolve, reject) => {
      const onAttempt = (): void => {
        if (!predicate(log)) return;
        cleanup();
        resolve([...log]);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`webhooks: condition not met within ${timeoutMs} ms (${log.length} attempts logged)`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.webhooks.attempts.off('attempt', onAttempt);
      };
      this.webhooks.attempts.on('attempt', onAttempt);
    });
  }

  /** True when no webhook is in flight, waiting for a retry, held or paused. */
  webhooksIdle(): boolean {
    return this.webhooks.idle();
  }

  private keepCrmData(rid: string | undefined, body: string): void {
    const room = rid ? this.store.rooms.get(rid) : undefined;
    if (room) room.crmData = body;
  }

  private async route(ctx: RequestContext, res: ServerResponse, api: RestApi, control: ControlApi): Promise<void> {
    if (api.handles(ctx.path)) return api.handle(ctx, res);
    if (control.handles(ctx.path)) return control.handle(ctx, res);
    if (ctx.method === 'GET' && (ctx.path === '/console' || ctx.path === '/console/')) {
      return writeReply(res, { status: 200, text: consolePage(), contentType: 'text/html; charset=utf-8' });
    }
    if (ctx.path.startsWith('/file-upload/')) return writeReply(res, serveFile(ctx, this.fileAccess));
    writeReply(res, json({ success: false, error: 'Not found' }, 404));
  }

  private buildFaults(): SimulatorFaults {
    const webhooks = this.webhooks;
    return {
      refuseConnections: (on) => this.http.refuse(on),
      setLatency: (ms) => (this.callFaults.latencyMs = ms),
      failNext: (n, status = 500, route) => this.callFaults.failNext(n, status, route),
      timeoutNext: (n, route) => this.callFaults.timeoutNext(n, route),
      holdNext: (route) => this.callFaults.holdNext(route),
      webhooks: {
        dropNext: (n) => webhooks.dropNext(n),
        duplicateNext: (n) => webhooks.duplicateNext(n),
        holdAndReorder: (n) => webhooks.holdAndReorder(n),
        releaseHeld: () => webhooks.releaseHeld(),
        pause: () => webhooks.pause(),
        resume: () => webhooks.resume(),
      },
      clear: () => {
        this.callFaults.clear();
        webhooks.clearFaults();
      },
    };
  }
}
