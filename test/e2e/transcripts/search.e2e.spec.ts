import { createConversation } from './factory';
import { ANA, seededScenarios } from './scenarios';

interface Hit {
  roomId: string;
  matchCount: number;
  matches: Array<{ snippet: string; authorName: string }>;
}

describe('GET /v1/transcripts (search)', () => {
  const s = seededScenarios();

  const search = (query: Record<string, string | number>) => s.t.http.get('/v1/transcripts').query(query).set('Authorization', s.t.admin);
  const ids = (body: { items: Hit[] }): string[] => body.items.map((h) => h.roomId);

  it('finds rooms by words in their messages, case-insensitively, with highlighted snippets', async () => {
    const res = await search({ q: 'ORDER 4521' }).expect(200);
    expect(ids(res.body)).toEqual([s.maria.roomId]);
    const [hit] = res.body.items as Hit[];
    expect(hit.matchCount).toBe(2);
    expect(hit.matches.map((m) => m.snippet)).toEqual(['Hello, my «order» «4521» has not arrived', 'Hi Maria, let me check «order» «4521».']);
    expect(hit.matches[0].authorName).toBe('Maria Souza');
    expect(res.body.items[0]).toMatchObject({
      rocketchatRoomId: 'RoomMaria0001', visitor: { token: 'web-maria' }, agent: { id: 'agent-bruno' }, tags: ['refund'],
      departmentId: 'dep-billing', departmentName: 'Billing',
    });
  });

  it('folds accents both ways: nao finds não, não finds nao, and the snippet highlights the word as written', async () => {
    const pt = await createConversation(s.t.db, {
      visitor: { token: 'web-pt', name: 'Conceição' },
      openedAt: '2026-11-23T10:00:00.000Z',
      steps: [
        { at: '2026-11-23T10:00:05.000Z', visitor: 'Não recebi a encomenda; a ação de troca foi cancelada' },
        { at: '2026-11-23T10:01:00.000Z', agent: ANA, text: 'Voce pode confirmar o endereco?' },
      ],
    });
    const res = await search({ q: 'nao' }).expect(200);
    expect(ids(res.body)).toEqual([pt.roomId]);
    expect((res.body.items as Hit[])[0]!.matches.map((m) => m.snippet)).toEqual(['«Não» recebi a encomenda; a ação de troca foi cancelada']);
    expect(ids((await search({ q: 'ACAO troca' }).expect(200)).body)).toEqual([pt.roomId]);
    expect(ids((await search({ q: '"você pode confirmar o endereço"' }).expect(200)).body)).toEqual([pt.roomId]);
    expect(ids((await search({ q: 'conceicao' }).expect(200)).body)).toEqual([]); // the visitor's name is not a message
  });

  it("runs the same search in an analyst's SQL, in the configured language", async () => {
    const { rows } = await s.t.db.query(
      `SELECT text FROM transcript_lines WHERE search_vector @@ websearch_to_tsquery(omnigate_search_language()::regconfig, $1) ORDER BY sent_at`,
      ['nao recebi'],
    );
    expect(rows).toEqual([{ text: 'Não recebi a encomenda; a ação de troca foi cancelada' }]);
  });

  it('supports phrases, OR and exclusions (web-search syntax)', async () => {
    expect(ids((await search({ q: '"order 4521"' }).expect(200)).body)).toEqual([s.maria.roomId]);
    expect(ids((await search({ q: '"4521 order"' }).expect(200)).body)).toEqual([]);
    expect(ids((await search({ q: 'Lisbon or 9988' }).expect(200)).body)).toEqual([s.erased.roomId, s.joao.roomId]);
    expect(ids((await search({ q: 'order -9988' }).expect(200)).body)).toEqual([s.maria.roomId]);
  });

  it('misses words nobody wrote, text of refused messages, and needs whole words (no stemming)', async () => {
    expect((await search({ q: 'cancellation' }).expect(200)).body).toEqual({ items: [], nextCursor: null });
    expect(ids((await search({ q: 'reached' }).expect(200)).body)).toEqual([]);
    expect(ids((await search({ q: 'deliver' }).expect(200)).body)).toEqual([s.joao.roomId]);
    expect(ids((await search({ q: 'refunds' }).expect(200)).body)).toEqual([]);
  });

  it('filters by period, agent, department, visitor, status and tag', async () => {
    expect(ids((await search({ q: 'order', from: '2026-11-25', to: '2026-11-26' }).expect(200)).body)).toEqual([s.erased.roomId]);
    expect(ids((await search({ from: '2026-11-24T00:00:00Z', to: '2026-11-24T12:30:00+00:00' }).expect(200)).body)).toEqual([s.maria.roomId]);
    expect(ids((await search({ agentId: ANA.id }).expect(200)).body)).toEqual([s.joao.roomId]);
    expect(ids((await search({ departmentId: 'dep-billing' }).expect(200)).body)).toEqual([s.maria.roomId]);
    expect(ids((await search({ visitorToken: 'app-joao' }).expect(200)).body)).toEqual([s.joao.roomId]);
    expect(ids((await search({ tag: 'delivery' }).expect(200)).body)).toEqual([s.joao.roomId]);
    expect(ids((await search({ status: 'open' }).expect(200)).body)).toEqual([]);
    expect(ids((await search({ q: 'order', status: 'closed', departmentId: 'dep-support' }).expect(200)).body)).toEqual([s.erased.roomId]);
  });

  it('pages with a cursor that neither repeats nor skips rooms while new rooms arrive', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await createConversation(s.t.db, {
        visitor: { token: `page-${i}`, name: `Pager ${i}` },
        openedAt: new Date(Date.UTC(2026, 10, 20, 10, 0, 0, i === 3 ? 0 : i)).toISOString(),
        steps: [{ at: '2026-11-20T10:00:01.000Z', visitor: `paging probe number ${i}` }],
      });
      created.push(c.roomId);
    }
    const first = await search({ q: 'probe', limit: 3 }).expect(200);
    expect(first.body.items).toHaveLength(3);
    // a room opened later (sorts first) and an older one (sorts last) arrive between pages
    const newer = await createConversation(s.t.db, { visitor: { token: 'page-new', name: 'New' }, openedAt: '2026-11-21T00:00:00.000Z', steps: [{ at: '2026-11-21T00:00:01.000Z', visitor: 'probe late' }] });
    const older = await createConversation(s.t.db, { visitor: { token: 'page-old', name: 'Old' }, openedAt: '2026-11-19T00:00:00.000Z', steps: [{ at: '2026-11-19T00:00:01.000Z', visitor: 'probe early' }] });
    const seen = ids(first.body);
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page = await search({ q: 'probe', limit: 3, cursor }).expect(200);
      seen.push(...ids(page.body));
      cursor = page.body.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(newer.roomId);
    expect([...seen].sort()).toEqual([...created, older.roomId].sort());
  });

  describe('bad input', () => {
    it.each([
      [{ limit: 101 }, 'limit'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ from: 'yesterday' }, 'from'],
      [{ from: '2026-02-30T00:00:00Z' }, 'from'],
      [{ from: '2026-11-24T12:00:00' }, 'from'],
      [{ from: '2026-11-25', to: '2026-11-24' }, 'to'],
      [{ from: '2026-11-25', to: '2026-11-25' }, 'to'],
      [{ status: 'archived' }, 'status'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ cursor: Buffer.from(JSON.stringify({ t: "x'; DROP TABLE rooms", id: 'y' })).toString('base64url') }, 'cursor'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ sort: 'desc' }, 'sort'],
    ])('answers 400 naming the field for %j', async (query, field) => {
      const res = await search(query as Record<string, string | number>).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });
});
