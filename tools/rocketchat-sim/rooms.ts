import { setTimeout as sleep } from 'node:timers/promises';
import { meteorError, RestError } from './errors';
import type { RoomEvents } from './events';
import { randomId } from './ids';
import { SYSTEM_USER, type SimStore } from './store';
import type { Agent, Message, Room, Visitor } from './types';

/** A control (agent side) that cannot be done: the /sim API answers it with 400 and this text. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
}

export type Closer = 'agent' | 'visitor' | 'inactivity';

/** How opening a room behaves (createRoom in lib/rooms.ts, by version). */
export interface RoomCreation {
  acceptChatsWithNoAgents: boolean;
  /** the awaits createRoom does between "is there an open room?" and its insert */
  delayMs: number;
  /** 8.3+: a unique index refuses a second open room for one token (PR #39087) */
  oneOpenRoomPerToken: boolean;
}

export interface CloseInput {
  by: Closer;
  comment?: string;
  tags?: string[];
  /** for `by: 'agent'`: who closes; default the serving agent */
  agentUsername?: string;
}

/**
 * The MongoServerError of the insert that breaks the unique open-room index, as ApiClass's catch
 * answers it: `failure(e.message)`. The index name in the text is a guess (not read in the source).
 */
function duplicateOpenRoom(token: string): RestError {
  return new RestError(400, {
    success: false,
    error: `E11000 duplicate key error collection: rocketchat.rocketchat_room index: v.token_1 dup key: { v.token: ${JSON.stringify(token)} }`,
  });
}

/** Room lifecycle: open, route, take, forward, close, edit. Rocket.Chat's order of side effects. */
export class RoomLifecycle {
  constructor(
    private readonly store: SimStore,
    private readonly events: RoomEvents,
    private readonly creation: RoomCreation,
  ) {}

  /**
   * `QueueManager.requestRoom`: Start webhook (awaited), then the `livechat-started` message, then
   * routing → Taken, or Queued when no agent can take it.
   */
  async open(visitor: Visitor, preferredAgentId?: string): Promise<Room> {
    const preferred = preferredAgentId ? this.store.agentById(preferredAgentId) : undefined;
    const agent = this.pickAgent(visitor.department, preferred);
    if (!agent && !this.creation.acceptChatsWithNoAgents) throw meteorError('no-agent-online', 'Sorry, no online agents');
    // Another GET livechat/room for this token can pass its own open-room check during these awaits.
    await sleep(this.creation.delayMs);
    if (this.creation.oneOpenRoomPerToken && this.store.openRoomOf(visitor.token)) throw duplicateOpenRoom(visitor.token);
    const now = this.store.clock.now();
    const room: Room = {
      _id: randomId(),
      t: 'l',
      fname: visitor.name || visitor.username,
      v: { _id: visitor._id, username: visitor.username, token: visitor.token, status: 'online' },
      departmentId: visitor.department,
      open: true,
      ts: now,
      msgs: 0,
      usersCount: 1,
      waitingResponse: true,
      source: { type: 'api' },
      tags: [],
      _updatedAt: now,
    };
    this.store.rooms.set(room._id, room);
    await this.events.session('LivechatSessionStart', room);
    this.addSystemMessage(room, 'livechat-started', { _id: visitor._id, username: visitor.username });
    if (agent) {
      this.serve(room, agent);
      await this.events.session('LivechatSessionTaken', room);
    } else {
      room.queuedAt = room.ts;
      await this.events.session('LivechatSessionQueued', room);
    }
    return room;
  }

  /** An agent takes a queued room from the queue. */
  async take(rid: string, agentUsername: string): Promise<Room> {
    const room = this.openRoom(rid);
    const agent = this.agent(agentUsername);
    if (room.servedBy) throw new ControlError(`room ${rid} is already served by ${room.servedBy.username}`);
    this.serve(room, agent);
    await this.events.session('LivechatSessionTaken', room);
    return room;
  }

  async forwardToAgent(rid: string, agentUsername: string): Promise<Room> {
    const room = this.openRoom(rid);
    const agent = this.agent(agentUsername);
    const oldServedBy = room.servedBy;
    if (oldServedBy?._id === agent._id) throw new ControlError(`room ${rid} is already served by ${agent.username}`);
    this.serve(room, agent);
    this.addSystemMessage(room, 'livechat_transfer_history', { _id: agent._id, username: agent.username, name: agent.name });
    await this.events.session('LivechatSessionForwarded', room, { oldServedBy });
    return room;
  }

  /**
   * `forwardRoomToDepartment`: false (→ `{ success:false }`) for a closed room. Routes to an online
   * agent of the department, else queues the room (Forwarded, then Queued).
   */
  async forwardToDepartment(room: Room, departmentId: string, by: { _id: string; username: string; name?: string; token?: string }): Promise<boolean> {
    if (!room.open) return false;
    if (!this.store.departments.has(departmentId)) throw meteorError('error-invalid-department', 'Invalid department');
    if (room.departmentId === departmentId) {
      throw meteorError('error-forwarding-chat-same-department', 'The selected department and the current room department are the same');
    }
    const oldDepartmentId = room.departmentId;
    room.departmentId = departmentId;
    const agent = this.pickAgent(departmentId, undefined);
    if (agent) {
      this.serve(room, agent);
    } else {
      room.servedBy = undefined;
      room.usersCount = 1;
      room.queuedAt = this.store.clock.now();
    }
    const transfer = this.addSystemMessage(room, 'livechat_transfer_history', { _id: by._id, username: by.username, name: by.name });
    if (by.token) transfer.token = by.token;
    await this.events.session('LivechatSessionForwarded', room, { oldDepartmentId });
    if (!agent) await this.events.session('LivechatSessionQueued', room);
    return true;
  }

  /** `closeRoom`: closer/closedBy/closedAt, the `livechat-close` message, then the close webhook (not awaited). */
  close(room: Room, input: CloseInput): { comment: string } {
    if (!room.open) throw new ControlError(`room ${room._id} is already closed`);
    const visitor = this.store.visitors.get(room.v._id);
    let author: { _id: string; username: string; name?: string };
    let comment = input.comment;
    if (input.by === 'visitor') {
      author = { _id: room.v._id, username: room.v.username, name: visitor?.name };
      comment ??= 'Closed by visitor';
    } else if (input.by === 'inactivity') {
      // Rocket.Chat's inactivity monitor closes as the `rocket.cat` user with the "Closed_automatically" text.
      author = SYSTEM_USER;
      comment ??= 'Closed automatically by the system';
    } else {
      const username = input.agentUsername ?? room.servedBy?.username;
      // closeLivechatRoom: a user who does not serve the room needs close-others-livechat-room, so a queued room is closed as a named agent
      if (!username) throw new ControlError(`room ${room._id} is queued (no serving agent): name the agent who closes it`);
      const agent = this.agent(username);
      author = { _id: agent._id, username: agent.username, name: agent.name };
    }
    const now = this.store.clock.now();
    room.open = false;
    room.closedAt = now;
    room.closer = input.by === 'visitor' ? 'visitor' : 'user';
    room.closedBy = { _id: author._id, username: author.username };
    room.closeComment = comment;
    if (input.tags) room.tags = [...input.tags];
    const closing = this.addSystemMessage(room, 'livechat-close', author, comment ?? '', now);
    if (input.by === 'visitor') closing.token = room.v.token;
    room.lm = now;
    room._updatedAt = now;
    void this.events.session('LivechatSession', room);
    return { comment: comment ?? '' };
  }

  /** `livechat.saveInfo`: LivechatEdit goes out only when the room is already closed. */
  async editInfo(rid: string, info: { topic?: string; tags?: string[]; livechatData?: Record<string, string> }): Promise<Room> {
    const room = this.store.rooms.get(rid);
    if (!room) throw new ControlError(`no room ${rid}`);
    if (info.topic !== undefined) room.topic = info.topic;
    if (info.tags) room.tags = [...info.tags];
    if (info.livechatData) room.livechatData = { ...room.livechatData, ...info.livechatData };
    room._updatedAt = this.store.clock.now();
    if (!room.open) await this.events.session('LivechatEdit', room);
    return room;
  }

  /** Auto selection: the preferred agent when online, else the online agent of the department with fewest open rooms. */
  pickAgent(departmentId: string | undefined, preferred: Agent | undefined): Agent | undefined {
    if (preferred?.status === 'online') return preferred;
    const candidates = [...this.store.agents.values()].filter((a) => a.status === 'online' && (!departmentId || a.departmentIds.includes(departmentId)));
    const load = (a: Agent): number => [...this.store.rooms.values()].filter((r) => r.open && r.servedBy?._id === a._id).length;
    return candidates.sort((a, b) => load(a) - load(b))[0];
  }

  addSystemMessage(room: Room, t: string, u: Message['u'], msg = '', ts = this.store.clock.now()): Message {
    const message: Message = { _id: randomId(), t, rid: room._id, msg, ts, u, groupable: false, _updatedAt: ts };
    this.store.addMessage(message);
    return message;
  }

  openRoom(rid: string): Room {
    const room = this.store.rooms.get(rid);
    if (!room) throw new ControlError(`no room ${rid}`);
    if (!room.open) throw new ControlError(`room ${rid} is closed`);
    return room;
  }

  agent(username: string): Agent {
    const agent = this.store.agents.get(username);
    if (!agent) throw new ControlError(`no agent ${username}`);
    return agent;
  }

  private serve(room: Room, agent: Agent): void {
    const now = this.store.clock.now();
    room.servedBy = { _id: agent._id, username: agent.username, ts: now };
    room.usersCount = 2;
    room._updatedAt = now;
  }
}
