/** omnigate's REST API over real HTTP (fetch), for a gateway in this process or in a child process. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** milliseconds from sending to the whole answer */
  ms: number;
}

/** status 0 = no answer (connection refused or reset, or the client's timeout) */
export const NO_ANSWER = 0;

export class GatewayApi {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 15_000): Promise<Answer> {
    const started = performance.now();
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.apiKey}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, ms: performance.now() - started };
    } catch {
      return { status: NO_ANSWER, body: {}, ms: performance.now() - started };
    }
  }

  post(path: string, body: unknown, timeoutMs?: number): Promise<Answer> {
    return this.call('POST', path, body, timeoutMs);
  }

  get(path: string, timeoutMs?: number): Promise<Answer> {
    return this.call('GET', path, undefined, timeoutMs);
  }

  /** A visitor and its room, opened through Rocket.Chat (the simulator). */
  async openRoom(token: string): Promise<{ id: string; rocketchatRoomId: string }> {
    const visitor = await this.post('/v1/visitors', { token, name: `Visitor ${token}` });
    if (visitor.status !== 201 && visitor.status !== 200) throw new Error(`POST /v1/visitors answered ${visitor.status}: ${JSON.stringify(visitor.body)}`);
    const room = await this.post('/v1/rooms', { visitorToken: token });
    if (room.status !== 201 && room.status !== 200) throw new Error(`POST /v1/rooms answered ${room.status}: ${JSON.stringify(room.body)}`);
    return { id: String(room.body.id), rocketchatRoomId: String(room.body.rocketchatRoomId) };
  }

  async openRooms(prefix: string, n: number, concurrency = 10): Promise<Array<{ id: string; rocketchatRoomId: string }>> {
    const rooms: Array<{ id: string; rocketchatRoomId: string }> = new Array(n);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < n) {
        const i = next++;
        rooms[i] = await this.openRoom(`${prefix}-${i}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    return rooms;
  }
}

/** Texts are unique per run, so a duplicate in Rocket.Chat shows as the same text twice. */
export function burstText(run: string, room: number, i: number): string {
  return `${run} room ${room} message ${i}`;
}

export interface SentMessage {
  room: number;
  i: number;
  text: string;
  status: number;
  id?: string;
  ms: number;
}

/**
 * One worker per room, each sending its messages in order (a room's messages are serialised
 * anyway); `onAnswer` sees every answer, so a test can inject its fault mid-burst.
 */
export async function sendBurst(
  api: GatewayApi,
  rooms: Array<{ id: string }>,
  perRoom: number,
  run: string,
  onAnswer: (answered: number) => Promise<void> | void = () => undefined,
  options: { timeoutMs?: number; stop?: () => boolean } = {},
): Promise<SentMessage[]> {
  const sent: SentMessage[] = [];
  await Promise.all(
    rooms.map(async (room, r) => {
      for (let i = 0; i < perRoom && !options.stop?.(); i++) {
        const text = burstText(run, r, i);
        const answer = await api.post(`/v1/rooms/${room.id}/messages`, { text }, options.timeoutMs);
        sent.push({ room: r, i, text, status: answer.status, id: typeof answer.body.id === 'string' ? answer.body.id : undefined, ms: answer.ms });
        await onAnswer(sent.length);
      }
    }),
  );
  return sent;
}

/** Occurrences of each text among what the simulator stores, for lost / duplicated counts. */
export function countTexts(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
