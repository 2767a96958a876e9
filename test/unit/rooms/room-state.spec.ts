import type { RoomStatus } from '../../../src/rooms/room.entity';
import { applyLifecycle, eventData, LifecycleEvent, RoomPatch } from '../../../src/rooms/room-state';

type Room = Required<RoomPatch>;
type When = 'newer' | 'older';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 10, 24, 12, 0, seconds));
const STATE_AT = at(10);
const NEWER = at(20);
const OLDER = at(5);
const time = (when: When): Date => (when === 'newer' ? NEWER : OLDER);

const ANA = { id: 'agent-ana', username: 'ana.agent', name: 'Ana Costa' };
const JOAO = { id: 'agent-joao', username: 'joao.agent', name: 'Joao Lima' };
const asAna = { agentId: ANA.id, agentUsername: ANA.username, agentName: ANA.name };
const asJoao = { agentId: JOAO.id, agentUsername: JOAO.username, agentName: JOAO.name };
const noAgent = { agentId: null, agentUsername: null, agentName: null };

/** A room in one of its three states, last changed at STATE_AT: only the fields applyLifecycle reads. */
function room(status: RoomStatus, overrides: Partial<Room> = {}): Room {
  const base: Room = {
    status,
    ...noAgent,
    departmentId: 'dept-a',
    queuedAt: at(0),
    servedAt: null,
    closedAt: null,
    closedBy: null,
    closerId: null,
    closerUsername: null,
    closeComment: null,
    tags: [],
    stateAt: STATE_AT,
  };
  if (status === 'open') Object.assign(base, asAna, { servedAt: STATE_AT });
  if (status === 'closed') {
    Object.assign(base, asAna, { servedAt: at(1), closedAt: STATE_AT, closedBy: 'agent', closerId: ANA.id, closerUsername: ANA.username, closeComment: 'done', tags: ['billing'] });
  }
  return { ...base, ...overrides };
}

const events = {
  queued: (occurredAt: Date): LifecycleEvent => ({ type: 'queued', occurredAt, departmentId: 'dept-b' }),
  taken: (occurredAt: Date): LifecycleEvent => ({ type: 'taken', occurredAt, agent: JOAO, departmentId: 'dept-b' }),
  'forwarded to an agent': (occurredAt: Date): LifecycleEvent => ({
    type: 'forwarded',
    occurredAt,
    to: 'agent',
    agent: JOAO,
    departmentId: 'dept-b',
    from: { agent: ANA, departmentId: null },
  }),
  'forwarded to a department': (occurredAt: Date): LifecycleEvent => ({
    type: 'forwarded',
    occurredAt,
    to: 'department',
    agent: null,
    departmentId: 'dept-b',
    from: { agent: null, departmentId: 'dept-a' },
  }),
  closed: (occurredAt: Date): LifecycleEvent => ({
    type: 'closed',
    occurredAt,
    closedBy: 'agent',
    closer: JOAO,
    agent: JOAO,
    departmentId: 'dept-b',
    comment: 'bye',
    tags: ['delivery'],
  }),
  'closed, lost in Rocket.Chat': (occurredAt: Date): LifecycleEvent => ({ type: 'closed', occurredAt, closedBy: 'system', closer: null, comment: null, lost: 'invalid-room' }),
  edited: (occurredAt: Date): LifecycleEvent => ({ type: 'edited', occurredAt, tags: ['vip'], comment: 'note' }),
};
type EventName = keyof typeof events;
const EVENT_NAMES = Object.keys(events) as EventName[];
const STATES: RoomStatus[] = ['queued', 'open', 'closed'];
const WHENS: When[] = ['newer', 'older'];

const apply = (r: Room, event: LifecycleEvent): Room => ({ ...r, ...applyLifecycle(r, event) });

const requeued: RoomPatch = { status: 'queued', ...noAgent, departmentId: 'dept-b', stateAt: NEWER };
const servedByJoao: RoomPatch = { status: 'open', ...asJoao, departmentId: 'dept-b', stateAt: NEWER };
const closedByJoao = (closedAt: Date, stateAt: Date): RoomPatch => ({
  ...asJoao,
  departmentId: 'dept-b',
  status: 'closed',
  closedAt,
  closedBy: 'agent',
  closerId: JOAO.id,
  closerUsername: JOAO.username,
  closeComment: 'bye',
  tags: ['delivery'],
  stateAt,
});
const lost = (closedAt: Date, stateAt: Date): RoomPatch => ({ status: 'closed', closedAt, closedBy: 'system', closerId: null, closerUsername: null, closeComment: null, stateAt });
const edit: RoomPatch = { tags: ['vip'], closeComment: 'note' };

describe('applyLifecycle', () => {
  // "newer" happened after the room's last applied state (STATE_AT), "older" before it
  it.each<[RoomStatus, EventName, When, RoomPatch]>([
    ['queued', 'queued', 'newer', requeued],
    ['queued', 'queued', 'older', {}],
    ['queued', 'taken', 'newer', { servedAt: NEWER, ...servedByJoao }],
    ['queued', 'taken', 'older', { servedAt: OLDER }],
    ['queued', 'forwarded to an agent', 'newer', { servedAt: NEWER, ...servedByJoao }],
    ['queued', 'forwarded to an agent', 'older', { servedAt: OLDER }],
    ['queued', 'forwarded to a department', 'newer', requeued],
    ['queued', 'forwarded to a department', 'older', {}],
    ['queued', 'closed', 'newer', closedByJoao(NEWER, NEWER)],
    ['queued', 'closed', 'older', closedByJoao(OLDER, STATE_AT)],
    ['queued', 'closed, lost in Rocket.Chat', 'newer', lost(NEWER, NEWER)],
    ['queued', 'closed, lost in Rocket.Chat', 'older', lost(OLDER, STATE_AT)],
    ['queued', 'edited', 'newer', edit],
    ['queued', 'edited', 'older', edit],

    ['open', 'queued', 'newer', requeued],
    ['open', 'queued', 'older', {}],
    ['open', 'taken', 'newer', servedByJoao],
    ['open', 'taken', 'older', { servedAt: OLDER }],
    ['open', 'forwarded to an agent', 'newer', servedByJoao],
    ['open', 'forwarded to an agent', 'older', { servedAt: OLDER }],
    ['open', 'forwarded to a department', 'newer', requeued],
    ['open', 'forwarded to a department', 'older', {}],
    ['open', 'closed', 'newer', closedByJoao(NEWER, NEWER)],
    ['open', 'closed', 'older', closedByJoao(OLDER, STATE_AT)],
    ['open', 'closed, lost in Rocket.Chat', 'newer', lost(NEWER, NEWER)],
    ['open', 'closed, lost in Rocket.Chat', 'older', lost(OLDER, STATE_AT)],
    ['open', 'edited', 'newer', edit],
    ['open', 'edited', 'older', edit],

    // the closed room was served at at(1): only an even earlier take moves servedAt
    ['closed', 'queued', 'newer', {}],
    ['closed', 'queued', 'older', {}],
    ['closed', 'taken', 'newer', {}],
    ['closed', 'taken', 'older', {}],
    ['closed', 'forwarded to an agent', 'newer', {}],
    ['closed', 'forwarded to an agent', 'older', {}],
    ['closed', 'forwarded to a department', 'newer', {}],
    ['closed', 'forwarded to a department', 'older', {}],
    ['closed', 'closed', 'newer', {}],
    ['closed', 'closed', 'older', {}],
    ['closed', 'closed, lost in Rocket.Chat', 'newer', {}],
    ['closed', 'closed, lost in Rocket.Chat', 'older', {}],
    ['closed', 'edited', 'newer', edit],
    ['closed', 'edited', 'older', edit],
  ])('on a %s room, %s (%s) changes exactly what it should', (status, name, when, patch) => {
    expect(applyLifecycle(room(status), events[name](time(when)))).toStrictEqual(patch);
  });

  it.each(STATES.flatMap((status) => EVENT_NAMES.flatMap((name) => WHENS.map((when) => [status, name, when] as const))))(
    'a redelivery changes nothing: %s room, %s (%s) twice',
    (status, name, when) => {
      const event = events[name](time(when));
      const once = apply(room(status), event);
      expect(apply(once, event)).toStrictEqual(once);
    },
  );

  it('applies an event dated exactly at the room state (a redelivery is not "older")', () => {
    expect(applyLifecycle(room('open'), events.taken(STATE_AT))).toStrictEqual({ ...servedByJoao, stateAt: STATE_AT });
  });

  describe('an older event arriving after a newer one', () => {
    it.each<[RoomStatus, EventName, RoomPatch]>([
      ['open', 'queued', { queuedAt: OLDER }],
      ['closed', 'queued', { queuedAt: OLDER }],
      ['queued', 'taken', { servedAt: OLDER }],
      ['open', 'forwarded to an agent', { servedAt: OLDER }],
      ['closed', 'taken', { servedAt: OLDER }],
      ['closed', 'forwarded to an agent', { servedAt: OLDER }],
    ])('on a %s room missing it, %s only fills the gap', (status, name, patch) => {
      expect(applyLifecycle(room(status, { queuedAt: null, servedAt: null }), events[name](OLDER))).toStrictEqual(patch);
    });

    it('never overwrites a queuedAt already known, even with an earlier one', () => {
      expect(applyLifecycle(room('open', { queuedAt: at(8) }), events.queued(OLDER))).toStrictEqual({});
    });

    it('does not undo a newer forward to a department: a late take leaves the room queued', () => {
      const forwarded = apply(room('open'), events['forwarded to a department'](at(30)));
      const late = apply(forwarded, events.taken(NEWER));
      expect(late).toMatchObject({ status: 'queued', ...noAgent, departmentId: 'dept-b', stateAt: at(30), servedAt: STATE_AT });
    });
  });

  describe('closed is final', () => {
    it.each(EVENT_NAMES.filter((n) => n !== 'edited'))('%s, even newer, does not reopen or change the state', (name) => {
      const closed = room('closed');
      const after = apply(closed, events[name](at(60)));
      expect(after).toMatchObject({ status: 'closed', ...asAna, departmentId: 'dept-a', closedAt: STATE_AT, closedBy: 'agent', closerId: ANA.id, stateAt: STATE_AT });
    });

    it('keeps closing a room whose close is older than its last state (nothing happens after a close)', () => {
      expect(apply(room('open'), events.closed(OLDER))).toMatchObject({ status: 'closed', closedAt: OLDER, stateAt: STATE_AT });
    });

    it.each<[string, Partial<Room>, RoomPatch]>([
      ['the agent', noAgent, asJoao],
      ['the department', { departmentId: null }, { departmentId: 'dept-b' }],
      ['the closer', { closerId: null, closerUsername: null }, { closerId: JOAO.id, closerUsername: JOAO.username }],
      ['the comment', { closeComment: null }, { closeComment: 'bye' }],
      ['the tags', { tags: [] }, { tags: ['delivery'] }],
    ])('a second close only fills %s when it was missing', (_what, missing, patch) => {
      expect(applyLifecycle(room('closed', missing), events.closed(NEWER))).toStrictEqual(patch);
    });

    it('a second close fills every gap at once and never touches closedAt, closedBy or the state time', () => {
      const bare = room('closed', { ...noAgent, departmentId: null, closerId: null, closerUsername: null, closeComment: null, tags: [], closedBy: 'visitor' });
      expect(applyLifecycle(bare, events.closed(NEWER))).toStrictEqual({
        ...asJoao,
        departmentId: 'dept-b',
        closerId: JOAO.id,
        closerUsername: JOAO.username,
        closeComment: 'bye',
        tags: ['delivery'],
      });
    });

    it('a second close with nothing to add (our own close, Rocket.Chat lost it) changes nothing', () => {
      expect(applyLifecycle(room('closed', { ...noAgent, tags: [] }), events['closed, lost in Rocket.Chat'](NEWER))).toStrictEqual({});
    });
  });

  describe('servedAt is the earliest taken/forwarded-to-agent time, whatever the order', () => {
    const sequence = [events.taken(at(20)), events['forwarded to a department'](at(25)), { ...events['forwarded to an agent'](at(30)), agent: ANA } as LifecycleEvent];
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];

    it.each(orders)('order %i, %i, %i: served at the take, open with the newest forward’s agent', (...order) => {
      const end = order.reduce((r, i) => apply(r, sequence[i]!), room('queued', { stateAt: at(0) }));
      expect(end).toMatchObject({ status: 'open', ...asAna, servedAt: at(20), stateAt: at(30) });
    });

    it('a forward to a department never counts as being served', () => {
      expect(applyLifecycle(room('queued'), events['forwarded to a department'](OLDER))).toStrictEqual({});
    });
  });

  describe('a forward', () => {
    it('to a department with no agent puts the room back in the queue with no agent', () => {
      expect(apply(room('open'), events['forwarded to a department'](NEWER))).toMatchObject({ status: 'queued', ...noAgent, departmentId: 'dept-b', servedAt: STATE_AT });
    });

    it('to a department that lands on an agent opens the room with that agent', () => {
      const event: LifecycleEvent = { ...events['forwarded to a department'](NEWER), agent: JOAO } as LifecycleEvent;
      expect(applyLifecycle(room('queued'), event)).toStrictEqual({ servedAt: NEWER, ...servedByJoao });
    });
  });

  describe('the department', () => {
    it.each<[string, LifecycleEvent]>([
      ['queued', { type: 'queued', occurredAt: NEWER }],
      ['taken', { type: 'taken', occurredAt: NEWER, agent: JOAO }],
      ['forwarded', { type: 'forwarded', occurredAt: NEWER, to: 'agent', agent: JOAO, from: { agent: ANA } }],
      ['closed', { type: 'closed', occurredAt: NEWER, closedBy: 'visitor' }],
    ])('is kept when %s names none', (_name, event) => {
      expect(apply(room('open'), event).departmentId).toBe('dept-a');
    });
  });

  it('a close naming no agent keeps the room’s agent and tags', () => {
    expect(apply(room('open', { tags: ['billing'] }), events['closed, lost in Rocket.Chat'](NEWER))).toMatchObject({ ...asAna, tags: ['billing'] });
  });

  it.each<[string, LifecycleEvent, RoomPatch]>([
    ['tags only', { type: 'edited', occurredAt: NEWER, tags: ['vip'] }, { tags: ['vip'] }],
    ['a comment only', { type: 'edited', occurredAt: NEWER, comment: 'note' }, { closeComment: 'note' }],
    ['a null comment', { type: 'edited', occurredAt: NEWER, comment: null }, {}],
    ['an empty tag list', { type: 'edited', occurredAt: NEWER, tags: [] }, { tags: [] }],
  ])('an edit with %s changes only that', (_what, event, patch) => {
    expect(applyLifecycle(room('closed'), event)).toStrictEqual(patch);
  });
});

describe('eventData', () => {
  const r = room('open');

  it.each<[EventName, Record<string, unknown>]>([
    ['queued', {}],
    ['taken', { agent: JOAO, departmentId: 'dept-b' }],
    ['forwarded to an agent', { from: { agent: ANA, departmentId: null }, to: { agent: JOAO, departmentId: 'dept-b' } }],
    ['forwarded to a department', { from: { agent: null, departmentId: 'dept-a', agentFrom: 'omnigate' }, to: { agent: null, departmentId: 'dept-b' } }],
    ['closed', { closedBy: 'agent', closer: JOAO, comment: 'bye', tags: ['delivery'] }],
    ['closed, lost in Rocket.Chat', { closedBy: 'system', closer: null, comment: null, tags: [], lostInRocketChat: 'invalid-room' }],
    ['edited', { tags: ['vip'], comment: 'note' }],
  ])('records what %s says', (name, data) => {
    expect(eventData(r, events[name](NEWER))).toStrictEqual(data);
  });

  it.each<[string, LifecycleEvent, Record<string, unknown>]>([
    ['a take with no department', { type: 'taken', occurredAt: NEWER, agent: JOAO }, { agent: JOAO, departmentId: null }],
    ['a forward with no target', { type: 'forwarded', occurredAt: NEWER, to: 'agent', from: {} }, { from: {}, to: { agent: null, departmentId: null } }],
    ['a bare close', { type: 'closed', occurredAt: NEWER, closedBy: 'visitor' }, { closedBy: 'visitor', closer: null, comment: null, tags: [] }],
    ['a close lost as room-closed', { type: 'closed', occurredAt: NEWER, closedBy: 'system', lost: 'room-closed' }, { closedBy: 'system', closer: null, comment: null, tags: [], lostInRocketChat: 'room-closed' }],
    ['a bare edit', { type: 'edited', occurredAt: NEWER }, { tags: null, comment: null }],
  ])('fills %s with nulls', (_what, event, data) => {
    expect(eventData(r, event)).toStrictEqual(data);
  });
});
