import { RocketChatSimulator } from '../../tools/rocketchat-sim';
import { RocketChatRejectedError, RocketChatUnavailableError } from '../../src/rocketchat/rocketchat.errors';
import type { RocketChatClient } from '../../src/rocketchat/rocketchat.client';
import { rocketChatClient } from '../support/rocketchat-client';

/** The client over real HTTP against the simulator: each method's success and its two failures. */
describe('RocketChatClient', () => {
  let sim: RocketChatSimulator;
  let rc: RocketChatClient;
  let n = 0;
  const token = () => `client-test-${++n}-${Date.now()}`;

  beforeAll(async () => {
    sim = await RocketChatSimulator.start({ rateLimit: false });
    rc = rocketChatClient(sim.url, { ROCKETCHAT_TIMEOUT_MS: '400' });
  });
  afterAll(() => sim.stop());
  afterEach(() => sim.faults.clear());

  const rejected = (reason: string) => expect.objectContaining({ name: 'RocketChatRejectedError', reason });

  describe('visitors', () => {
    it('registers a visitor and maps Rocket.Chat\'s arrays to plain values', async () => {
      const t = token();
      const v = await rc.registerVisitor({
        token: t,
        name: 'Maria Souza',
        email: 'maria@example.com',
        phone: '+5511987654321',
        customFields: [{ key: 'plan', value: 'gold', overwrite: true }],
      });
      expect(v).toMatchObject({ token: t, name: 'Maria Souza', emails: ['maria@example.com'], phones: ['+5511987654321'], customFields: { plan: 'gold' } });
      expect(v.id).toEqual(expect.any(String));
      expect(v.username).toMatch(/^guest-\d+$/);
      expect(v.createdAt).toBeInstanceOf(Date);
    });

    it('keeps a custom field when overwrite is false, and skips keys Rocket.Chat does not define', async () => {
      const t = token();
      await rc.registerVisitor({ token: t, customFields: [{ key: 'plan', value: 'gold', overwrite: true }] });
      const v = await rc.registerVisitor({
        token: t,
        customFields: [
          { key: 'plan', value: 'silver', overwrite: false },
          { key: 'unknown-field', value: 'x', overwrite: true },
        ],
      });
      expect(v.customFields).toEqual({ plan: 'gold' });
    });

    it('gets a visitor, and refuses an unknown token with invalid-token', async () => {
      const t = token();
      await rc.registerVisitor({ token: t, name: 'Ana' });
      expect((await rc.getVisitor(t)).name).toBe('Ana');
      await expect(rc.getVisitor('nobody-here')).rejects.toEqual(rejected('invalid-token'));
    });

    it('refuses to delete a visitor with an open room, and deletes it once closed', async () => {
      const t = token();
      await rc.registerVisitor({ token: t });
      const { room } = await rc.openRoom({ token: t });
      await expect(rc.deleteVisitor(t)).rejects.toEqual(rejected('visitor-has-open-rooms'));
      await rc.closeRoom({ rid: room.id, token: t });
      await expect(rc.deleteVisitor(t)).resolves.toBeUndefined();
      await expect(rc.getVisitor(t)).rejects.toBeInstanceOf(RocketChatRejectedError);
    });
  });

  describe('rooms', () => {
    it('opens a queued room when no agent is online, then returns the same open room', async () => {
      const t = token();
      await rc.registerVisitor({ token: t, name: 'Queue Person' });
      const first = await rc.openRoom({ token: t });
      expect(first.newRoom).toBe(true);
      expect(first.room).toMatchObject({ open: true, servedBy: undefined, visitor: { token: t } });
      expect(first.room.createdAt).toBeInstanceOf(Date);
      const again = await rc.openRoom({ token: t });
      expect(again).toMatchObject({ newRoom: false, room: { id: first.room.id } });
    });

    it('opens a served room when an agent of the visitor\'s department is online', async () => {
      sim.setAgentStatus('joao.agent', 'online');
      try {
        const t = token();
        await rc.registerVisitor({ token: t, department: 'dep-support' });
        const { room } = await rc.openRoom({ token: t });
        expect(room.servedBy).toMatchObject({ username: 'joao.agent' });
        expect(room.departmentId).toBe('dep-support');
      } finally {
        sim.setAgentStatus('joao.agent', 'offline');
      }
    });

    it('refuses a room for an unknown visitor', async () => {
      await expect(rc.openRoom({ token: 'no-such-visitor' })).rejects.toEqual(rejected('invalid-token'));
    });

    it('closes a room as the visitor, and refuses a second close with room-closed', async () => {
      const t = token();
      await rc.registerVisitor({ token: t });
      const { room } = await rc.openRoom({ token: t });
      expect(await rc.closeRoom({ rid: room.id, token: t })).toEqual({ rid: room.id, comment: 'Closed by visitor' });
      await expect(rc.closeRoom({ rid: room.id, token: t })).rejects.toEqual(rejected('room-closed'));
    });

    it('transfers a room to a department', async () => {
      const t = token();
      await rc.registerVisitor({ token: t, department: 'dep-support' });
      const { room } = await rc.openRoom({ token: t });
      const moved = await rc.transferRoom({ rid: room.id, token: t, department: 'dep-sales' });
      expect(moved.departmentId).toBe('dep-sales');
      await expect(rc.transferRoom({ rid: 'NoSuchRoom0000000', token: t, department: 'dep-sales' })).rejects.toBeInstanceOf(RocketChatRejectedError);
    });
  });

  describe('messages', () => {
    let t: string;
    let rid: string;
    beforeEach(async () => {
      t = token();
      await rc.registerVisitor({ token: t, name: 'Maria' });
      rid = (await rc.openRoom({ token: t })).room.id;
    });

    it('sends with omnigate\'s id as _id and reads it back', async () => {
      const id = `om-${n}-a`;
      const sent = await rc.sendMessage({ token: t, rid, id, text: 'Olá' });
      expect(sent).toMatchObject({ alreadyDelivered: false, message: { id, roomId: rid, text: 'Olá', visitorToken: t } });
      expect(sent.message.createdAt).toBeInstanceOf(Date);
      expect(await rc.getMessage({ id, token: t, rid })).toMatchObject({ id, text: 'Olá' });
      expect(await rc.getMessage({ id: 'nope', token: t, rid })).toBeNull();
    });

    it('recognises a repeated _id as delivered, without a second message', async () => {
      const id = `om-${n}-b`;
      await rc.sendMessage({ token: t, rid, id, text: 'once' });
      expect(await rc.sendMessage({ token: t, rid, id, text: 'once' })).toMatchObject({ alreadyDelivered: true, message: { id } });
      expect(sim.store.messages(rid).filter((m) => m._id === id)).toHaveLength(1);
    });

    it('recovers a lost answer: the message was stored, the retry is counted as delivered', async () => {
      const id = `om-${n}-c`;
      sim.faults.timeoutNext(1, 'POST livechat/message');
      await expect(rc.sendMessage({ token: t, rid, id, text: 'lost answer' })).rejects.toEqual(
        expect.objectContaining({ name: 'RocketChatUnavailableError', problem: 'timeout' }),
      );
      expect(await rc.sendMessage({ token: t, rid, id, text: 'lost answer' })).toMatchObject({ alreadyDelivered: true });
      expect(sim.store.messages(rid).filter((m) => m._id === id)).toHaveLength(1);
    });

    it('refuses messages to a closed room with room-closed and to an unknown visitor with invalid-token', async () => {
      await rc.closeRoom({ rid, token: t });
      await expect(rc.sendMessage({ token: t, rid, id: `om-${n}-d`, text: 'late' })).rejects.toEqual(rejected('room-closed'));
      await expect(rc.sendMessage({ token: 'nobody', rid, id: `om-${n}-e`, text: 'x' })).rejects.toEqual(rejected('invalid-token'));
    });

    it('pages the history backwards with end, newest first, system messages included', async () => {
      for (const i of [1, 2, 3]) await rc.sendMessage({ token: t, rid, id: `om-${n}-h${i}`, text: `m${i}` });
      const newest = await rc.messageHistory({ rid, token: t, limit: 2 });
      expect(newest.map((m) => m.text)).toEqual(['m3', 'm2']);
      const older = await rc.messageHistory({ rid, token: t, end: newest[1]!.createdAt, limit: 10 });
      expect(older.map((m) => m.text)).toContain('m1');
      expect(older.some((m) => m.systemType === 'livechat-started')).toBe(true);
      expect(older.every((m) => m.createdAt < newest[1]!.createdAt)).toBe(true);
    });

    it('uploads a file as the visitor', async () => {
      const message = await rc.uploadFile({
        rid,
        token: t,
        file: { filename: 'receipt.txt', contentType: 'text/plain', data: Buffer.from('order 48213') },
        description: 'the receipt',
      });
      expect(message.files[0]).toMatchObject({ name: 'receipt.txt', type: 'text/plain', size: 11 });
      await expect(
        rc.uploadFile({ rid, token: 'nobody', file: { filename: 'x.txt', contentType: 'text/plain', data: Buffer.from('x') } }),
      ).rejects.toBeInstanceOf(RocketChatRejectedError);
    });
  });

  it('leaves an offline message and reads the widget config', async () => {
    await expect(rc.sendOfflineMessage({ name: 'Carlos', email: 'carlos@example.com', message: 'Vocês abrem amanhã?' })).resolves.toBeUndefined();
    const config = await rc.widgetConfig();
    expect(config).toMatchObject({ enabled: true, online: false });
  });

  describe('when Rocket.Chat cannot answer', () => {
    it('maps a refused connection to RocketChatUnavailableError', async () => {
      await sim.faults.refuseConnections(true);
      try {
        // each kept-alive socket left from earlier calls is reset, then a new connection is refused: both are an outage
        const problems: string[] = [];
        while (problems.at(-1) !== 'ECONNREFUSED' && problems.length < 20) {
          const error = await rc.getVisitor('x').then(() => undefined, (e: unknown) => e);
          expect(error).toEqual(expect.objectContaining({ name: 'RocketChatUnavailableError', problem: expect.stringMatching(/^ECONN(REFUSED|RESET)$/) }));
          problems.push((error as { problem: string }).problem);
        }
        expect(problems.at(-1)).toBe('ECONNREFUSED');
      } finally {
        await sim.faults.refuseConnections(false);
      }
    });

    it('maps a 5xx to RocketChatUnavailableError with the status', async () => {
      sim.faults.failNext(1, 503);
      await expect(rc.widgetConfig()).rejects.toEqual(expect.objectContaining({ name: 'RocketChatUnavailableError', status: 503 }));
    });

    it('maps a timeout to RocketChatUnavailableError', async () => {
      sim.faults.setLatency(1000);
      await expect(rc.widgetConfig()).rejects.toEqual(expect.objectContaining({ name: 'RocketChatUnavailableError', problem: 'timeout' }));
    });

    it('maps the visitor rate limit (429) to RocketChatUnavailableError carrying the reset time', async () => {
      const limited = await RocketChatSimulator.start({ rateLimit: true });
      try {
        const client = rocketChatClient(limited.url, { ROCKETCHAT_USER_ID: 'bot-user', ROCKETCHAT_AUTH_TOKEN: 'bot-token' });
        for (let i = 0; i < 5; i++) await client.registerVisitor({ token: `rl-${i}` });
        const error = await client.registerVisitor({ token: 'rl-6' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RocketChatUnavailableError);
        expect(error).toMatchObject({ status: 429, problem: 'rate limited' });
        expect((error as RocketChatUnavailableError).retryAfterMs).toBeGreaterThan(50_000);
      } finally {
        await limited.stop();
      }
    });
  });
});
