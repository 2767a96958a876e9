import { MonotonicClock, randomId } from './ids';
import type { Agent, Department, Message, Room, SimulatorOptions, StoredDepartment, StoredFile, Visitor, WebhookAttempt } from './types';

export const DEFAULT_DEPARTMENTS: Department[] = [
  { _id: 'dep-support', name: 'Support' },
  { _id: 'dep-sales', name: 'Sales' },
];

const DEFAULT_AGENTS: NonNullable<SimulatorOptions['agents']> = [
  { username: 'ana.agent', name: 'Ana Costa', email: 'ana@support.example.com', departmentIds: ['dep-support', 'dep-sales'] },
  { username: 'joao.agent', name: 'Joao Lima', email: 'joao@support.example.com', departmentIds: ['dep-support'] },
];

/** The user Rocket.Chat's inactivity monitor closes rooms as. */
export const SYSTEM_USER = { _id: 'rocket.cat', username: 'rocket.cat', name: 'Rocket.Cat' };

/** In-memory collections. Read them in tests; change them only through the simulator's operations. */
export class SimStore {
  readonly clock = new MonotonicClock();
  readonly departments = new Map<string, StoredDepartment>();
  readonly agents = new Map<string, Agent>();
  readonly visitors = new Map<string, Visitor>();
  readonly rooms = new Map<string, Room>();
  private readonly messagesByRoom = new Map<string, Message[]>();
  readonly files = new Map<string, StoredFile>();
  readonly webhookLog: WebhookAttempt[] = [];
  private guestCount = 0;

  constructor(private readonly seed: Pick<SimulatorOptions, 'departments' | 'agents'>) {
    this.reset();
  }

  /** Back to the seed: no visitors, rooms, messages or log; agents keep their ids but go offline. */
  reset(): void {
    const previousIds = new Map([...this.agents.values()].map((a) => [a.username, a._id]));
    this.departments.clear();
    this.agents.clear();
    this.visitors.clear();
    this.rooms.clear();
    this.messagesByRoom.clear();
    this.files.clear();
    this.webhookLog.length = 0;
    this.guestCount = 0;
    for (const d of this.seed.departments ?? DEFAULT_DEPARTMENTS) {
      this.departments.set(d._id, { enabled: true, showOnRegistration: true, showOnOfflineForm: true, ...d });
    }
    for (const a of this.seed.agents ?? DEFAULT_AGENTS) {
      const _id = a._id ?? previousIds.get(a.username) ?? randomId();
      const email = a.email ?? `${a.username}@example.com`;
      this.agents.set(a.username, { _id, username: a.username, name: a.name, email, status: a.status ?? 'offline', departmentIds: [...a.departmentIds] });
    }
  }

  nextGuestUsername(): string {
    this.guestCount += 1;
    return `guest-${this.guestCount}`;
  }

  visitorByToken(token: string): Visitor | undefined {
    return [...this.visitors.values()].find((v) => v.token === token);
  }

  agentById(id: string): Agent | undefined {
    return [...this.agents.values()].find((a) => a._id === id);
  }

  openRoomOf(token: string): Room | undefined {
    return [...this.rooms.values()].find((r) => r.open && r.v.token === token);
  }

  roomsOf(token: string): Room[] {
    return [...this.rooms.values()].filter((r) => r.v.token === token);
  }

  /** Messages of a room in the order they were saved (oldest first). */
  messages(rid: string): Message[] {
    return this.messagesByRoom.get(rid) ?? [];
  }

  message(id: string): Message | undefined {
    for (const list of this.messagesByRoom.values()) {
      const found = list.find((m) => m._id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** Agents whose departmentIds name this department (Rocket.Chat's `numAgents`). */
  agentsOf(departmentId: string): Agent[] {
    return [...this.agents.values()].filter((a) => a.departmentIds.includes(departmentId));
  }

  /** Messages.removeById: the message leaves its room's list. */
  removeMessage(id: string): Message | undefined {
    for (const list of this.messagesByRoom.values()) {
      const i = list.findIndex((m) => m._id === id);
      if (i >= 0) return list.splice(i, 1)[0];
    }
    return undefined;
  }

  addMessage(message: Message): void {
    const list = this.messagesByRoom.get(message.rid) ?? [];
    list.push(message);
    this.messagesByRoom.set(message.rid, list);
  }

  /** Rocket.Chat's visitor removal also deletes the visitor's rooms and messages (cleanGuestHistory). */
  removeVisitor(visitor: Visitor): void {
    for (const room of this.roomsOf(visitor.token)) {
      this.rooms.delete(room._id);
      this.messagesByRoom.delete(room._id);
    }
    this.visitors.delete(visitor._id);
  }
}
