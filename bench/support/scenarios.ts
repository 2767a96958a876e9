export interface BenchRoom {
  id: string;
  rocketchatRoomId: string;
  token: string;
}

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** A webhook Message event from the fixture: message `id` in room `rid`, sent now. */
export function webhookBody(template: Record<string, unknown>, rid: string, id: string, text: string): Record<string, unknown> {
  const message = (template as { messages: Array<Record<string, unknown>> }).messages[0];
  const ts = new Date().toISOString();
  return { ...template, _id: rid, messages: [{ ...message, _id: id, rid, msg: text, ts, _updatedAt: ts }] };
}

/**
 * One Message webhook per room, 10 at a time over the gateways in turn: a room omnigate does not
 * know is created by its first message (the general path), so that the measured runs take the
 * hot path (a new message in a known room) from their first request.
 */
export async function primeWebhookRooms(urls: string[], headers: Record<string, string>, template: Record<string, unknown>, rids: string[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rids.length) {
      const i = next++;
      const rid = rids[i]!;
      const res = await fetch(`${urls[i % urls.length]}/webhooks/rocketchat`, { method: 'POST', headers, body: JSON.stringify(webhookBody(template, rid, `bench-prime-${rid}`, `bench room ${rid}`)) });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`priming room ${rid} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
}

/** Visitors and their rooms through omnigate and the simulator, 10 at a time. */
export async function openRooms(baseUrl: string, headers: Record<string, string>, n: number): Promise<BenchRoom[]> {
  const rooms: BenchRoom[] = new Array(n);
  let next = 0;
  const run = Date.now().toString(36);
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const token = `bench-${run}-${i}`;
      await post(`${baseUrl}/v1/visitors`, headers, { token, name: `Bench visitor ${i}` });
      const room = await post(`${baseUrl}/v1/rooms`, headers, { visitorToken: token });
      rooms[i] = { id: String(room.id), rocketchatRoomId: String(room.rocketchatRoomId), token };
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  return rooms;
}

/** Streams the CSV export and counts its data rows (newlines outside quoted fields, minus the header). */
export async function exportCsv(baseUrl: string, headers: Record<string, string>, from: string, to: string): Promise<{ status: number; rows: number; bytes: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/v1/exports/messages?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&format=csv`, { headers });
  let lines = 0;
  let bytes = 0;
  let quoted = false;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === 0x22) quoted = !quoted;
      else if (c === 0x0a && !quoted) lines++;
    }
  }
  return { status: res.status, rows: Math.max(0, lines - 1), bytes, ms: performance.now() - started };
}
