import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait-for';

/** Rocket.Chat's file urls are relative and need Rocket.Chat's own access: omnigate serves them. */
describe('GET /v1/rooms/:id/files/:fileId', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ webhook: true });
  });
  afterAll(() => h.close());

  async function roomWithAgentFile(): Promise<{ room: { id: string; rocketchatRoomId: string; token: string }; downloadUrl: string }> {
    const room = await h.room();
    await h.sim.takeRoom(room.rocketchatRoomId, 'ana.agent');
    await h.sim.sendAgentMessage(room.rocketchatRoomId, { text: 'your invoice', file: { name: 'fatura março.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.7 invoice') } });
    const file = await waitFor(
      async () => ((await h.get(`/v1/rooms/${room.id}/messages`).expect(200)).body.items as Array<{ authorType: string; attachments: Array<Record<string, string>> }>).find((m) => m.authorType === 'agent'),
      (m) => m !== undefined,
    );
    const attachment = file!.attachments.find((a) => a.kind === 'file')!;
    expect(attachment.url).toMatch(/^\/file-upload\//);
    return { room, downloadUrl: attachment.downloadUrl! };
  }
  const streamToken = async (token: string) => (await h.post(`/v1/visitors/${token}/stream-tokens`, { ttlSeconds: 300 }).expect(201)).body.token as string;

  it("streams an agent's file with an API key, with its type, length and name", async () => {
    const { room, downloadUrl } = await roomWithAgentFile();
    expect(downloadUrl).toMatch(new RegExp(`^/v1/rooms/${room.id}/files/[A-Za-z0-9_-]+$`));
    const res = await h.get(downloadUrl).buffer(true).expect(200);
    expect(res.body.toString()).toBe('%PDF-1.7 invoice');
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-length']).toBe('16');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="fatura mar_o.pdf"; filename*=UTF-8''fatura%20mar%C3%A7o.pdf`);
  });

  it("lets a visitor session read its own rooms' files only", async () => {
    const { room, downloadUrl } = await roomWithAgentFile();
    const own = await streamToken(room.token);
    const res = await h.t.http.get(`${downloadUrl}?access_token=${own}`).buffer(true).expect(200);
    expect(res.body.toString()).toBe('%PDF-1.7 invoice');
    const other = await h.visitor();
    await h.t.http.get(`${downloadUrl}?access_token=${await streamToken(other.token)}`).expect(403);
    await h.t.http.get(downloadUrl).expect(401);
  });

  it('answers 404 for a file that is not in this room, 400 for a malformed id, and 503 when Rocket.Chat is down', async () => {
    const { room, downloadUrl } = await roomWithAgentFile();
    const other = await h.room();
    const fileId = downloadUrl.split('/').pop()!;
    await h.get(`/v1/rooms/${other.id}/files/${fileId}`).expect(404);
    await h.get(`/v1/rooms/${room.id}/files/NoSuchFile0000000`).expect(404);
    await h.get(`/v1/rooms/${room.id}/files/bad%20id`).expect(400);
    await h.sim.faults.refuseConnections(true);
    try {
      await h.get(downloadUrl).expect(503);
    } finally {
      await h.sim.faults.refuseConnections(false);
    }
  });
});
