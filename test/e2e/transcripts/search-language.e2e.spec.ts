import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConfigError } from '../../../src/config/app-config';
import { GIN_FIRST_MAX_MATCHES } from '../../../src/transcripts/search-config';
import { REINDEX_BATCH, SearchLanguage } from '../../../src/transcripts/search-language';
import { matchingRoomsSql } from '../../../src/transcripts/transcript-search.sql';
import { createTestDatabase } from '../../support/database';
import { startTestApp, TestApp } from '../../support/test-app';
import { createConversation } from './factory';

interface Page {
  items: Array<{ roomId: string; matches: Array<{ snippet: string }> }>;
  nextCursor: string | null;
}

/** `rooms` rooms of one visitor, a minute apart, each with `perRoom` messages saying `text`. */
async function seedRooms(t: TestApp, prefix: string, rooms: number, perRoom: number, text: string): Promise<string[]> {
  await t.db.query(`INSERT INTO visitors (token, name) VALUES ($1, 'Seed') ON CONFLICT DO NOTHING`, [`${prefix}-visitor`]);
  const { rows } = await t.db.query(
    `INSERT INTO rooms (rocketchat_room_id, visitor_id, status, opened_at, state_at)
     SELECT $1 || '-' || g, v.id, 'closed', timestamptz '2026-03-01' + g * interval '1 minute', timestamptz '2026-03-01'
       FROM generate_series(1, $2::int) g, visitors v WHERE v.token = $1 || '-visitor'
     RETURNING id, opened_at`,
    [prefix, rooms],
  );
  await t.db.query(
    `INSERT INTO messages (rocketchat_message_id, room_id, author_type, text, sent_at)
     SELECT r.rocketchat_room_id || '-' || n, r.id, 'visitor', $3 || ' ' || n, r.opened_at + n * interval '1 second'
       FROM rooms r CROSS JOIN generate_series(1, $2::int) n WHERE r.rocketchat_room_id LIKE $1 || '-%'`,
    [prefix, perRoom, text],
  );
  return (rows as Array<{ id: string; opened_at: Date }>).sort((a, b) => b.opened_at.getTime() - a.opened_at.getTime()).map((r) => r.id);
}

async function allPages(t: TestApp, query: Record<string, string | number>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.http
      .get('/v1/transcripts')
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .set('Authorization', t.admin)
      .expect(200);
    const page = res.body as Page;
    seen.push(...page.items.map((i) => i.roomId));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe('full-text search: rare and common words', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers a word matching more messages than the GIN-first bound completely, newest room first, across pages', async () => {
    const rooms = await seedRooms(t, 'common', 150, 15, 'ubiquitous word');
    const step1 = matchingRoomsSql('simple', 'ubiquitous');
    // the walk (not the GIN-first step) answers this one
    expect((await t.db.query(step1.sql, step1.params)).rows[0].matches).toBe(GIN_FIRST_MAX_MATCHES + 1);
    expect(await allPages(t, { q: 'ubiquitous', limit: 40 })).toEqual(rooms);
    expect(await allPages(t, { q: 'ubiquitous -nowhere', limit: 100 })).toEqual(rooms);
  });

  it('answers a rare word from the rooms of its matches, with the same filters and order', async () => {
    const rooms = await seedRooms(t, 'rare', 30, 2, 'seldom');
    expect(await allPages(t, { q: 'seldom', limit: 7 })).toEqual(rooms);
    expect(await allPages(t, { q: 'seldom', from: '2026-03-01T00:10:00Z', to: '2026-03-01T00:20:00Z' })).toEqual(rooms.slice(11, 21));
    expect(await allPages(t, { q: 'seldom ubiquitous' })).toEqual([]);
  });
});

describe('SEARCH_LANGUAGE', () => {
  it('indexes in simple by default and re-indexes older messages in the background when the language changes', async () => {
    const database = await createTestDatabase();
    let t = await startTestApp({}, { databaseUrl: database.url });
    try {
      const maria = await createConversation(t.db, {
        visitor: { token: 'web-lang-maria', name: 'Maria' },
        openedAt: '2026-04-01T10:00:00Z',
        steps: [{ at: '2026-04-01T10:00:05Z', visitor: 'I asked for refunds of both parcels' }],
      });
      // more rows than one batch, so the re-index runs several
      await seedRooms(t, 'bulk', 5, Math.ceil(REINDEX_BATCH / 4), 'filler text');
      // simple, accents folded: its copy with the unaccent dictionary
      expect((await t.db.query(`SELECT language::text FROM search_settings`)).rows).toEqual([{ language: 'public.simple_unaccent' }]);
      const search = (q: string) => t.http.get('/v1/transcripts').query({ q }).set('Authorization', t.admin).expect(200);
      expect((await search('refund')).body.items).toEqual([]); // simple: whole words only
      const cafe = await createConversation(t.db, {
        visitor: { token: 'web-lang-cafe', name: 'Zé' },
        openedAt: '2026-04-01T11:00:00Z',
        steps: [{ at: '2026-04-01T11:00:05Z', visitor: 'Os cafés não chegaram' }],
      });
      expect((await search('cafes nao')).body.items.map((i: { roomId: string }) => i.roomId)).toEqual([cafe.roomId]);

      await t.stop();
      const warn = jest.spyOn(Logger.prototype, 'warn');
      t = await startTestApp({ SEARCH_LANGUAGE: 'English' }, { databaseUrl: database.url });
      expect(warn).toHaveBeenCalledWith('search language set to public.english_unaccent (was public.simple_unaccent): older messages are re-indexed in the background');
      warn.mockRestore();
      await t.app.get(SearchLanguage).reindexed();
      expect((await t.db.query(`SELECT language::text, reindexing, reindex_after FROM search_settings`)).rows).toEqual([
        { language: 'public.english_unaccent', reindexing: false, reindex_after: null },
      ]);
      expect((await t.db.query(`SELECT search_language::text AS l, count(*)::int AS n FROM messages GROUP BY 1`)).rows).toEqual([
        { l: 'public.english_unaccent', n: 2 + 5 * Math.ceil(REINDEX_BATCH / 4) },
      ]);
      const hit = (await search('refund')).body as Page;
      expect(hit.items.map((i) => i.roomId)).toEqual([maria.roomId]);
      expect(hit.items[0]!.matches[0]!.snippet).toBe('I asked for «refunds» of both parcels');
      // english stems and still folds accents
      expect((await search('cafe')).body.items.map((i: { roomId: string }) => i.roomId)).toEqual([cafe.roomId]);

      // new messages take the setting from the database default, whoever writes them
      await t.db.query(`INSERT INTO messages (rocketchat_message_id, room_id, author_type, text, sent_at) VALUES ('late-1', $1, 'agent', 'Refunding now', now())`, [maria.roomId]);
      expect((await t.db.query(`SELECT search_language::text AS l FROM messages WHERE rocketchat_message_id = 'late-1'`)).rows).toEqual([{ l: 'public.english_unaccent' }]);
      expect((await search('refunded')).body.items[0].matchCount).toBe(2);

      // the same language again: nothing to do
      await t.stop();
      t = await startTestApp({ SEARCH_LANGUAGE: 'english' }, { databaseUrl: database.url });
      await t.app.get(SearchLanguage).reindexed();
      expect((await t.db.query(`SELECT reindexing FROM search_settings`)).rows).toEqual([{ reindexing: false }]);

      // a schema-qualified built-in configuration is taken as it is: no accent folding
      await t.stop();
      t = await startTestApp({ SEARCH_LANGUAGE: 'pg_catalog.simple' }, { databaseUrl: database.url });
      await t.app.get(SearchLanguage).reindexed();
      expect((await t.db.query(`SELECT language::text FROM search_settings`)).rows).toEqual([{ language: 'simple' }]);
      expect((await search('nao')).body.items).toEqual([]);
      expect((await search('não')).body.items.map((i: { roomId: string }) => i.roomId)).toEqual([cafe.roomId]);
    } finally {
      await t.stop();
      await database.drop();
    }
  });

  it('re-indexes messages written before accent folding in the background, once the migration moved the setting', async () => {
    const database = await createTestDatabase();
    let t = await startTestApp({}, { databaseUrl: database.url });
    try {
      // the re-index a fresh database starts with must not run while migrations are reverted
      await t.app.get(SearchLanguage).reindexed();
      const dataSource = t.app.get(DataSource);
      const applied = async (): Promise<boolean> =>
        (await t.db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'AccentInsensitiveSearch1764601000000'`)).rowCount === 1;
      while (await applied()) await dataSource.undoLastMigration({ transaction: 'each' });
      expect((await t.db.query(`SELECT language FROM search_settings`)).rows).toEqual([{ language: 'simple' }]);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM pg_ts_config WHERE cfgname LIKE '%\_unaccent'`)).rows).toEqual([{ n: 0 }]);
      const room = await createConversation(t.db, {
        visitor: { token: 'web-lang-before', name: 'Antes' },
        openedAt: '2026-04-03T10:00:00Z',
        steps: [{ at: '2026-04-03T10:00:05Z', visitor: 'A promoção não funcionou' }],
      });
      await dataSource.runMigrations({ transaction: 'each' });
      expect((await t.db.query(`SELECT language, reindexing FROM search_settings`)).rows).toEqual([{ language: 'public.simple_unaccent', reindexing: true }]);
      // still indexed as written until the re-index reaches it
      expect((await t.db.query(`SELECT search_language FROM messages WHERE room_id = $1`, [room.roomId])).rows).toEqual([{ search_language: 'simple' }]);

      await t.stop();
      t = await startTestApp({}, { databaseUrl: database.url });
      await t.app.get(SearchLanguage).reindexed();
      expect((await t.db.query(`SELECT search_language FROM messages WHERE room_id = $1`, [room.roomId])).rows).toEqual([{ search_language: 'public.simple_unaccent' }]);
      const res = await t.http.get('/v1/transcripts').query({ q: 'promocao nao' }).set('Authorization', t.admin).expect(200);
      expect(res.body.items.map((i: { roomId: string }) => i.roomId)).toEqual([room.roomId]);
    } finally {
      await t.stop();
      await database.drop();
    }
  });

  it.each(['klingon', 'nowhere.english'])('stops start-up with a configuration error on %s, naming the configurations the database has', async (language) => {
    const failed = startTestApp({ SEARCH_LANGUAGE: language });
    await expect(failed).rejects.toBeInstanceOf(ConfigError);
    await expect(failed).rejects.toThrow(/SEARCH_LANGUAGE must name a text search configuration of the database \(got ".*"; it has .*english.*simple/);
  });

  it('gives rows written by any role, with any search_path, the setting (no right on search_settings needed)', async () => {
    const t = await startTestApp({ SEARCH_LANGUAGE: 'german' });
    const role = `writer_${randomBytes(4).toString('hex')}`;
    try {
      await t.app.get(SearchLanguage).reindexed();
      const room = await createConversation(t.db, { visitor: { token: 'web-lang-writer', name: 'W' }, openedAt: '2026-04-02T10:00:00Z', steps: [] });
      await t.db.query(`CREATE ROLE ${role} NOLOGIN`);
      await t.db.query(`GRANT USAGE ON SCHEMA public TO ${role}; GRANT INSERT ON messages TO ${role}`);
      await t.db.query(`BEGIN; SET LOCAL ROLE ${role}; SET LOCAL search_path = pg_catalog;
        INSERT INTO public.messages (rocketchat_message_id, room_id, author_type, text, sent_at)
        VALUES ('by-writer', '${room.roomId}', 'visitor', 'Die Bestellungen für München kamen nicht an', now()); COMMIT`);
      const { rows } = await t.db.query(`SELECT search_language, search_vector::text AS v FROM messages WHERE rocketchat_message_id = 'by-writer'`);
      expect(rows[0].search_language).toBe('public.german_unaccent');
      expect(rows[0].v).toContain("'bestell'"); // German stemming
      expect(rows[0].v).not.toMatch(/[^\x20-\x7e]/); // and accents folded (für, München)
    } finally {
      await t.db.query(`DROP OWNED BY ${role}`);
      await t.db.query(`DROP ROLE ${role}`);
      await t.close();
    }
  });

  it('keeps the privileges granted on the analyst views when their migrations are reverted and applied again', async () => {
    const t = await startTestApp();
    const role = `analyst_${randomBytes(4).toString('hex')}`;
    try {
      await t.db.query(`CREATE ROLE ${role} NOLOGIN`);
      await t.db.query(`GRANT SELECT ON transcript_lines, room_metrics TO ${role}`);
      // the re-index a fresh database starts with must not run while migrations are reverted
      await t.app.get(SearchLanguage).reindexed();
      const dataSource = t.app.get(DataSource);
      const canRead = async (): Promise<boolean> =>
        (await t.db.query(`SELECT has_table_privilege($1, 'transcript_lines', 'SELECT') AND has_table_privilege($1, 'room_metrics', 'SELECT') AS ok`, [role]))
          .rows[0].ok as boolean;
      const lastColumns = async (): Promise<string[]> =>
        (
          await t.db.query(
            `SELECT DISTINCT ON (table_name) table_name || '.' || column_name AS c FROM information_schema.columns
              WHERE table_name IN ('transcript_lines', 'room_metrics') ORDER BY table_name, ordinal_position DESC`,
          )
        ).rows.map((r: { c: string }) => r.c);
      expect(await lastColumns()).toEqual(['room_metrics.survey_submitted_at', 'transcript_lines.deleted_at']);

      const applied = async (): Promise<boolean> =>
        (await t.db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'ConfigurableSearchLanguage1764570000000'`)).rowCount === 1;
      while (await applied()) await dataSource.undoLastMigration({ transaction: 'each' });
      expect((await t.db.query(`SELECT to_regclass('search_settings') AS t`)).rows[0].t).toBeNull();
      expect(await canRead()).toBe(true);
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await canRead()).toBe(true);
      const columns = await t.db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'transcript_lines' AND column_name LIKE 'search%' ORDER BY 1`);
      expect(columns.rows.map((c: { column_name: string }) => c.column_name)).toEqual(['search_language', 'search_vector']);
      expect(await lastColumns()).toEqual(['room_metrics.survey_submitted_at', 'transcript_lines.deleted_at']);
    } finally {
      await t.db.query(`DROP OWNED BY ${role}`);
      await t.db.query(`DROP ROLE ${role}`);
      await t.close();
    }
  });
});
