import { MigrationInterface, QueryRunner } from 'typeorm';
import { regrant, savedGrants } from './support/analyst-views';

/**
 * The full-text search language becomes a setting (SEARCH_LANGUAGE, `simple` by default) instead of
 * a constant in the generated column.
 *
 * - `search_settings`: one row, the language new messages are indexed in. omnigate writes it at
 *   start-up from SEARCH_LANGUAGE; while messages written before a change still carry the previous
 *   language, `reindexing` is set and `reindex_after` is the re-index's position.
 * - `messages.search_language`: the text search configuration of each message, defaulting to the
 *   setting (omnigate_search_language()), so every writer (the gateway, the seeder, an analyst's
 *   INSERT) indexes in it.
 * - `messages.search_vector` is generated from it: changing a message's language re-indexes it.
 *
 * Languages are stored as text, not regconfig: pg_upgrade refuses user tables with reg* columns
 * (they hold object ids a major-version upgrade does not keep). omnigate_tsvector() turns the name
 * into a configuration; it is declared IMMUTABLE, which a generated column requires, though the name
 * is looked up: a configuration renamed or dropped leaves stored vectors as they are (setting the
 * language again re-indexes them).
 *
 * The column is dropped and added again (ALTER ... SET EXPRESSION needs PostgreSQL 17), which means
 * recreating the view `transcript_lines` that exposes it: the privileges granted on the view (an
 * analyst role) are read first and granted again. Adding the column rewrites `messages` once.
 */
export class ConfigurableSearchLanguage1764570000000 implements MigrationInterface {
  name = 'ConfigurableSearchLanguage1764570000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ schema }]: Array<{ schema: string }> = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
    await q.query(`
      CREATE TABLE search_settings (
        singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        language      text NOT NULL DEFAULT 'simple',
        -- the transaction that changed the language: transactions older than it may still write the previous one
        changed_xid   xid8,
        reindexing    boolean NOT NULL DEFAULT false,
        -- re-index position (messages.id) while older messages still carry another language
        reindex_after uuid,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO search_settings DEFAULT VALUES`);
    // SECURITY DEFINER with a fixed search_path: a writer needs no right on search_settings and may
    // have any search_path; COALESCE keeps inserts working should the row be deleted
    await q.query(`
      CREATE FUNCTION omnigate_search_language() RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$ SELECT COALESCE((SELECT language FROM ${schema}.search_settings), 'simple') $$`);
    await q.query(`
      CREATE FUNCTION omnigate_tsvector(language text, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT pg_catalog.to_tsvector(language::pg_catalog.regconfig, body) $$`);

    const grants = await savedGrants(q, 'transcript_lines');
    await q.query(`DROP VIEW transcript_lines`);
    await q.query(`ALTER TABLE messages DROP COLUMN search_vector`); // drops messages_search with it
    // a constant default first (no rewrite), then the setting for rows written from now on
    await q.query(`ALTER TABLE messages ADD COLUMN search_language text NOT NULL DEFAULT 'simple'`);
    await q.query(`ALTER TABLE messages ALTER COLUMN search_language SET DEFAULT omnigate_search_language()`);
    await q.query(`ALTER TABLE messages ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (omnigate_tsvector(search_language, text)) STORED`);
    await q.query(`ALTER TABLE messages ALTER COLUMN search_vector SET STATISTICS 1000`);
    await q.query(`CREATE INDEX messages_search ON messages USING gin (search_vector)`);
    // a new column has no statistics, and a rewrite does not prompt autovacuum to gather them: without
    // them every word looks rare to the planner (see TranscriptSearchService)
    await q.query(`ANALYZE messages (search_vector)`);
    await q.query(transcriptLinesView(true));
    await regrant(q, 'transcript_lines', grants);
  }

  async down(q: QueryRunner): Promise<void> {
    const grants = await savedGrants(q, 'transcript_lines');
    await q.query(`DROP VIEW transcript_lines`);
    await q.query(`ALTER TABLE messages DROP COLUMN search_vector`);
    await q.query(`ALTER TABLE messages DROP COLUMN search_language`);
    await q.query(`ALTER TABLE messages ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED`);
    await q.query(`ALTER TABLE messages ALTER COLUMN search_vector SET STATISTICS 1000`);
    await q.query(`CREATE INDEX messages_search ON messages USING gin (search_vector)`);
    await q.query(`ANALYZE messages (search_vector)`);
    await q.query(transcriptLinesView(false));
    await regrant(q, 'transcript_lines', grants);
    await q.query(`DROP FUNCTION omnigate_tsvector(text, text)`);
    await q.query(`DROP FUNCTION omnigate_search_language()`);
    await q.query(`DROP TABLE search_settings`);
  }
}

/** transcript_lines as CreateAnalystViews made it, plus (withLanguage) each message's search language. */
function transcriptLinesView(withLanguage: boolean): string {
  return `
    CREATE VIEW transcript_lines AS
    SELECT
      m.id                    AS message_id,
      m.seq,
      m.rocketchat_message_id,
      m.room_id,
      r.rocketchat_room_id,
      r.status                AS room_status,
      r.opened_at             AS room_opened_at,
      r.closed_at             AS room_closed_at,
      r.tags                  AS room_tags,
      r.department_id,
      r.agent_id,
      r.agent_username,
      r.agent_name,
      r.visitor_id,
      v.token                 AS visitor_token,
      v.name                  AS visitor_name,
      m.author_type,
      m.author_id,
      m.author_username,
      m.author_name,
      COALESCE(
        NULLIF(m.author_name, ''),
        CASE WHEN m.author_type = 'visitor' THEN NULLIF(v.name, '') END,
        CASE WHEN m.author_type <> 'visitor' THEN NULLIF(m.author_username, '') END,
        CASE m.author_type WHEN 'visitor' THEN 'Visitor' WHEN 'agent' THEN 'Agent' WHEN 'bot' THEN 'Bot' ELSE 'System' END
      )                       AS author_display_name,
      m.text,
      m.system_type,
      m.attachments,
      m.sent_at,
      m.edited_at,
      m.delivery_status,
      -- lets analysts run the API's full-text search in SQL (same GIN index)
      m.search_vector${withLanguage ? ',\n      m.search_language' : ''}
    FROM messages m
    JOIN rooms r ON r.id = m.room_id
    JOIN visitors v ON v.id = r.visitor_id
    WHERE m.delivery_status IS DISTINCT FROM 'failed'`;
}
