import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifecycleKey } from '../../../src/rooms/room-store';
import { closedBy, closedEvent, forwardedEvent, inboundMessage, newRoomFacts, queuedEvent, takenEvent } from '../../../src/webhooks/webhook.mapper';
import { parseRoomPayload, RoomPayload } from '../../../src/webhooks/webhook-payload';

const payload = (name: string, type: string): RoomPayload =>
  parseRoomPayload(JSON.parse(readFileSync(join(__dirname, '../../fixtures/rocketchat', `webhook-${name}.json`), 'utf8')) as Record<string, unknown>, type);
const RECEIVED = new Date('2030-01-01T00:00:00.000Z');

describe('webhook.mapper', () => {
  it('creates an unseen room queued at its creation, with the queued key Start and Queued use', () => {
    const close = payload('LivechatSession-close-by-agent', 'LivechatSession');
    const facts = newRoomFacts(close, 'visitor-uuid', RECEIVED);
    expect(facts).toEqual({
      rocketchatRoomId: '9kRtHqYwXcPm3aZbE',
      visitorId: 'visitor-uuid',
      openedAt: new Date('2026-11-24T12:00:00.120Z'),
      departmentId: 'fJ8sD2kLq9WmZx3Cv',
      agent: null,
      queuedAt: new Date('2026-11-24T12:00:00.120Z'),
    });
    const ensureKey = lifecycleKey(facts.rocketchatRoomId, { type: 'queued', occurredAt: facts.queuedAt!, departmentId: facts.departmentId });
    for (const name of ['LivechatSessionStart', 'LivechatSessionQueued']) {
      expect(lifecycleKey(facts.rocketchatRoomId, queuedEvent(payload(name, name), RECEIVED))).toBe(ensureKey);
    }
    // a Message has no departmentId: the visitor's department stands in
    expect(newRoomFacts(payload('Message-visitor', 'Message'), 'v', RECEIVED).departmentId).toBe('fJ8sD2kLq9WmZx3Cv');
  });

  it('times the take by servedBy.ts and names the agent from `agent`', () => {
    expect(takenEvent(payload('LivechatSessionTaken', 'LivechatSessionTaken'), RECEIVED)).toEqual({
      type: 'taken',
      occurredAt: new Date('2026-11-24T12:00:41.002Z'),
      agent: { id: 'aG7nT2pQ9wXe4RbKm', username: 'joao.agent', name: 'Joao Lima' },
      departmentId: 'fJ8sD2kLq9WmZx3Cv',
    });
  });

  it('records the forward from the old agent to the new one', () => {
    expect(forwardedEvent(payload('LivechatSessionForwarded', 'LivechatSessionForwarded'), RECEIVED)).toMatchObject({
      occurredAt: new Date('2026-11-24T12:02:30.000Z'),
      agent: { id: 'pR4sW8eZ1yU6iO3aQ', name: 'Ana Costa' },
      from: { agent: { id: 'aG7nT2pQ9wXe4RbKm', username: 'joao.agent' }, departmentId: null },
    });
  });

  it('maps the closer: visitor, agent, and system for rocket.cat or nobody', () => {
    const p = payload('LivechatSession-close-by-agent', 'LivechatSession');
    expect(closedBy(p)).toBe('agent');
    expect(closedBy({ ...p, closer: 'visitor' })).toBe('visitor');
    expect(closedBy({ ...p, closedBy: { id: 'rocket.cat', username: 'rocket.cat' } })).toBe('system');
    expect(closedBy({ ...p, closedBy: undefined })).toBe('system');
    expect(closedEvent(p, RECEIVED)).toMatchObject({ occurredAt: new Date('2026-11-24T12:04:00.000Z'), comment: 'Atendimento encerrado, obrigada!', tags: ['entrega'] });
    expect(closedEvent({ ...p, closedAt: undefined }, RECEIVED).occurredAt).toEqual(RECEIVED);
  });

  it('tells visitor, agent and closing messages apart', () => {
    const p = payload('LivechatSession-close-by-agent', 'LivechatSession');
    expect(p.messages.map((m) => inboundMessage(m, p, RECEIVED).authorType)).toEqual(['visitor', 'agent', 'visitor', 'agent', 'system']);
    expect(inboundMessage(p.messages[4]!, p, RECEIVED)).toMatchObject({ systemType: 'livechat-close', authorId: 'pR4sW8eZ1yU6iO3aQ' });
    expect(inboundMessage(p.messages[0]!, p, RECEIVED)).toMatchObject({ authorName: 'Maria Souza', authorId: 'Lm2yGp8dRk4sTnQaW' });
  });
});
