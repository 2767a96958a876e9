import type { ServerResponse } from 'node:http';
import { restMessage, toWire } from './payloads';
import { ControlError, type Closer } from './rooms';
import { json, Router, type Reply, type RequestContext } from './router';
import { writeReply } from './server';
import type { RocketChatSimulator } from './simulator';
import type { Room } from './types';
import { asObject } from './validate';

type Body = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

/** queued = open without an agent; open = served; closed. */
export function roomStatus(room: Room): 'queued' | 'open' | 'closed' {
  return !room.open ? 'closed' : room.servedBy ? 'open' : 'queued';
}

/**
 * The JSON control API under `/sim/`: everything tests and the agent console do in-process, over
 * HTTP. Not part of Rocket.Chat; never rate-limited, delayed or faulted.
 */
export class ControlApi {
  private readonly router = new Router('/sim/');

  constructor(private readonly sim: RocketChatSimulator) {
    const r = this.router;
    r.add('GET', 'rooms', () => json(this.rooms()));
    r.add('GET', 'rooms/:rid', (c) => json(this.roomView(this.room(c.params.rid!))));
    r.add('GET', 'rooms/:rid/messages', (c) => json(this.sim.store.messages(this.room(c.params.rid!)._id).map(restMessage)));
    r.add('POST', 'rooms/:rid/take', async (c) => json(this.roomView(await sim.takeRoom(c.params.rid!, required(body(c).agent, 'agent')))));
    r.add('POST', 'rooms/:rid/messages', async (c) => {
      const b = body(c);
      const file = asObject(b.file);
      const content = file && (str(file.contentBase64) ? Buffer.from(String(file.contentBase64), 'base64') : String(file.content ?? ''));
      const message = await sim.sendAgentMessage(c.params.rid!, {
        text: typeof b.text === 'string' ? b.text : '',
        agent: str(b.agent),
        file: file && { name: str(file.name) ?? 'file.txt', type: str(file.type) ?? 'text/plain', content: content ?? '' },
      });
      return json(restMessage(message));
    });
    r.add('POST', 'rooms/:rid/forward', async (c) => {
      const b = body(c);
      return json(this.roomView(await sim.forward(c.params.rid!, { agentUsername: str(b.agent), departmentId: str(b.departmentId) })));
    });
    r.add('POST', 'rooms/:rid/close', async (c) => {
      const b = body(c);
      const by = str(b.by) ?? 'agent';
      if (!['agent', 'visitor', 'inactivity'].includes(by)) throw new ControlError('by must be agent, visitor or inactivity');
      const room = await sim.closeRoom(c.params.rid!, { by: by as Closer, comment: str(b.comment), tags: strings(b.tags), agentUsername: str(b.agent) });
      return json(this.roomView(room));
    });
    r.add('POST', 'rooms/:rid/info', async (c) => {
      const b = body(c);
      const livechatData = asObject(b.livechatData) as Record<string, string> | undefined;
      return json(this.roomView(await sim.editRoomInfo(c.params.rid!, { topic: str(b.topic), tags: strings(b.tags), livechatData })));
    });
    r.add('GET', 'visitors', () => json([...sim.store.visitors.values()].map((v) => toWire(v))));
    r.add('POST', 'visitors/:token/lead', async (c) => {
      const b = body(c);
      await sim.captureLead(c.params.token!, { email: str(b.email), phone: str(b.phone) });
      return json({ ok: true });
    });
    r.add('GET', 'agents', () => json(sim.listAgents()));
    r.add('POST', 'agents/:username/status', (c) => {
      const status = body(c).status;
      if (status !== 'online' && status !== 'offline') throw new ControlError('status must be online or offline');
      return json(sim.setAgentStatus(c.params.username!, status));
    });
    r.add('GET', 'departments', () => json(sim.listDepartments()));
    r.add('POST', 'departments/:id', (c) => {
      const b = body(c);
      const flag = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
      const patch = { enabled: flag(b.enabled), showOnRegistration: flag(b.showOnRegistration), showOnOfflineForm: flag(b.showOnOfflineForm), name: str(b.name) };
      return json(sim.updateDepartment(c.params.id!, patch));
    });
    r.add('GET', 'api-users', () => json(sim.apiUsers()));
    r.add('GET', 'webhooks', (c) => {
      const type = c.query.get('type');
      return json(sim.store.webhookLog.filter((a) => !type || a.type === type));
    });
    r.add('GET', 'info', () => json(sim.versionProfile()));
    r.add('GET', 'webhook-config', () => json(sim.webhookSettings() ?? { url: '' }));
    r.add('POST', 'webhook-config', (c) => {
      sim.configureWebhook(body(c));
      return json(sim.webhookSettings() ?? { url: '' });
    });
    r.add('POST', 'rate-limit', (c) => {
      const b = body(c);
      sim.configureRateLimit(b.enabled === false ? false : { rules: asObject(b.rules) as never });
      return json({ enabled: b.enabled !== false });
    });
    r.add('POST', 'faults', (c) => this.applyFaults(body(c)));
    r.add('POST', 'reset', () => {
      sim.reset();
      return json({ ok: true });
    });
  }

  handles(path: string): boolean {
    return this.router.handles(path);
  }

  async handle(ctx: RequestContext, res: ServerResponse): Promise<void> {
    const match = this.router.match(ctx.method, ctx.path);
    let reply: Reply;
    try {
      reply = match ? await match.route.handler({ ...ctx, params: match.params }) : json({ error: `no control route ${ctx.method} ${ctx.path}` }, 404);
    } catch (error) {
      const known = error instanceof ControlError || (error instanceof Error && 'status' in error);
      if (!known) console.error('rocketchat-sim: control error', error);
      reply = json({ error: error instanceof Error ? error.message : String(error) }, known ? 400 : 500);
    }
    writeReply(res, reply);
  }

  private async applyFaults(b: Body): Promise<Reply> {
    const f = this.sim.faults;
    if (b.clear === true) f.clear();
    if (num(b.latencyMs) !== undefined) f.setLatency(num(b.latencyMs)!);
    const fail = asObject(b.failNext);
    if (fail) f.failNext(num(fail.count) ?? 1, num(fail.status) ?? 500, str(fail.route));
    const timeout = asObject(b.timeoutNext);
    if (timeout) f.timeoutNext(num(timeout.count) ?? 1, str(timeout.route));
    const hooks = asObject(b.webhooks) ?? {};
    if (num(hooks.dropNext)) f.webhooks.dropNext(num(hooks.dropNext)!);
    if (num(hooks.duplicateNext)) f.webhooks.duplicateNext(num(hooks.duplicateNext)!);
    if (num(hooks.holdAndReorder)) f.webhooks.holdAndReorder(num(hooks.holdAndReorder)!);
    if (hooks.releaseHeld === true) f.webhooks.releaseHeld();
    if (hooks.pause === true) f.webhooks.pause();
    if (hooks.pause === false) f.webhooks.resume();
    // Over HTTP the listener cannot be told to come back, so refusing takes a duration.
    const refuseMs = num(b.refuseConnectionsForMs);
    if (refuseMs) {
      setTimeout(() => {
        void f
          .refuseConnections(true)
          .then(() => new Promise((r) => setTimeout(r, refuseMs)))
          .then(() => f.refuseConnections(false));
      }, 10);
    }
    return json({ ok: true });
  }

  private rooms(): Record<string, unknown>[] {
    return [...this.sim.store.rooms.values()].sort((a, b) => b.ts.getTime() - a.ts.getTime()).map((r) => this.roomView(r));
  }

  private roomView(room: Room): Record<string, unknown> {
    const visitor = this.sim.store.visitors.get(room.v._id);
    return toWire({ ...room, status: roomStatus(room), visitorName: visitor?.name || room.v.username, messageCount: this.sim.store.messages(room._id).length });
  }

  private room(rid: string): Room {
    const room = this.sim.store.rooms.get(rid);
    if (!room) throw new ControlError(`no room ${rid}`);
    return room;
  }
}

function body(ctx: RequestContext): Body {
  return asObject(ctx.body) ?? {};
}

function required(value: unknown, name: string): string {
  const s = str(value);
  if (!s) throw new ControlError(`${name} is required`);
  return s;
}
