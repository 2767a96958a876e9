import { startTestApp, type TestApp } from '../../support/test-app';
import type { Client } from 'pg';
import { Agent, Conversation, ConversationScript, createConversation, createDepartment } from './factory';

export const ANA: Agent = { id: 'agent-ana', username: 'ana.lima', name: 'Ana Lima' };
export const BRUNO: Agent = { id: 'agent-bruno', username: 'bruno.reis', name: 'Bruno Reis' };

/** The departments omnigate has read from Rocket.Chat; dep-support, where rooms also go, is not among them. */
export const DEPARTMENTS = [
  { id: 'dep-billing', name: 'Billing' },
  { id: 'dep-sales', name: 'Sales' },
];

/**
 * Three scripted conversations with hand-computed metrics (see metrics.e2e.spec.ts):
 * - maria: queued, taken by Ana after 35 s, Ana answers 60 s after Maria's first message, forwarded
 *   to Bruno (billing), closed by Bruno; the golden transcript.
 * - joao: a bot answers first (not a response), Ana takes it after 120 s and answers 140 s after
 *   João's first message; one outbound message was refused by Rocket.Chat; closed by the visitor.
 * - erased: never served, closed by the system next day; the visitor was erased (GDPR).
 */
export const MARIA: ConversationScript = {
  roomId: '5a1e0000-0000-4000-8000-000000000000',
  rocketchatRoomId: 'RoomMaria0001',
  visitor: { token: 'web-maria', name: 'Maria Souza' },
  departmentId: 'dep-support',
  openedAt: '2026-11-24T12:00:00.000Z',
  steps: [
    { at: '2026-11-24T12:00:00.000Z', queued: true },
    { at: '2026-11-24T12:00:05.000Z', visitor: 'Hello, my order 4521 has not arrived' },
    { at: '2026-11-24T12:00:35.000Z', taken: ANA },
    { at: '2026-11-24T12:01:05.000Z', agent: ANA, text: 'Hi Maria, let me check order 4521.' },
    { at: '2026-11-24T12:01:30.000Z', visitor: 'It was "express", paid by card, 2 items' },
    { at: '2026-11-24T12:02:00.000Z', forwarded: { to: BRUNO, departmentId: 'dep-billing' } },
    { at: '2026-11-24T12:02:00.000Z', system: 'Transferred to Bruno Reis', systemType: 'livechat_transfer_history' },
    { at: '2026-11-24T12:03:00.000Z', agent: BRUNO, text: 'Refund issued.\nYou will see it in 3 days.', attachments: [{ kind: 'file', name: 'refund-4521.pdf', title: 'refund-4521.pdf' }] },
    { at: '2026-11-24T12:04:00.000Z', visitor: 'Thanks!' },
    { at: '2026-11-24T12:05:00.000Z', closed: 'agent', comment: 'refunded', tags: ['refund'] },
  ],
};

export const JOAO: ConversationScript = {
  rocketchatRoomId: 'RoomJoao0002',
  visitor: { token: 'app-joao', name: 'João Pereira' },
  departmentId: 'dep-sales',
  openedAt: '2026-11-24T13:00:00.000Z',
  steps: [
    { at: '2026-11-24T13:00:00.000Z', queued: true },
    { at: '2026-11-24T13:00:10.000Z', visitor: 'Do you deliver to Lisbon?' },
    { at: '2026-11-24T13:00:11.000Z', bot: 'An agent will be with you shortly.' },
    { at: '2026-11-24T13:00:20.000Z', visitor: 'this never reached Rocket.Chat', deliveryStatus: 'failed' },
    { at: '2026-11-24T13:02:00.000Z', taken: ANA },
    { at: '2026-11-24T13:02:30.000Z', agent: ANA, text: 'Yes, delivery to Lisbon takes 2 days.' },
    { at: '2026-11-24T13:10:00.000Z', closed: 'visitor', tags: ['delivery'] },
  ],
};

export const ERASED: ConversationScript = {
  rocketchatRoomId: 'RoomErased0003',
  visitor: { token: 'web-erased', name: 'Carla Dias', erased: true },
  departmentId: 'dep-support',
  openedAt: '2026-11-25T09:00:00.000Z',
  steps: [
    { at: '2026-11-25T09:00:00.000Z', queued: true },
    { at: '2026-11-25T09:00:30.000Z', visitor: 'Is anyone there? My order 9988 is late' },
    { at: '2026-11-25T09:30:00.000Z', closed: 'system', comment: 'abandoned' },
  ],
};

export interface SeededScenarios {
  t: TestApp;
  maria: Conversation;
  joao: Conversation;
  erased: Conversation;
}

/**
 * A spec's set-up: the gateway on a fresh database seeded with the three conversations, made
 * before the file's tests and closed after. The fields are set once `beforeAll` has run.
 */
export function seededScenarios(): SeededScenarios {
  const seeded = {} as SeededScenarios;
  beforeAll(async () => {
    seeded.t = await startTestApp();
    Object.assign(seeded, await seedScenarios(seeded.t.db));
  });
  afterAll(() => seeded.t.close());
  return seeded;
}

export async function seedScenarios(db: Client): Promise<{ maria: Conversation; joao: Conversation; erased: Conversation }> {
  for (const department of DEPARTMENTS) await createDepartment(db, department);
  return { maria: await createConversation(db, MARIA), joao: await createConversation(db, JOAO), erased: await createConversation(db, ERASED) };
}
