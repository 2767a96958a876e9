import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search folds accents: `nao` finds `não`, `acao` finds `Ação` (omnigate's first users
 * write Portuguese and often type without accents).
 *
 * For every text search configuration PostgreSQL ships (pg_catalog: simple, english, portuguese, …)
 * this creates `<name>_unaccent` in omnigate's schema: a copy whose every token mapping runs the
 * `unaccent` dictionary first (a filtering dictionary: it hands the unaccented word to the next
 * one), so `english_unaccent` folds accents and then stems. The search setting moves to the folded
 * copy of the language it names, and SearchLanguage maps SEARCH_LANGUAGE the same way.
 *
 * Why configurations, not an IMMUTABLE wrapper around unaccent() inside omnigate_tsvector():
 * - the generated column stays as it is. Changing its expression means dropping and adding it
 *   (SET EXPRESSION needs PostgreSQL 17), a rewrite of `messages` under an exclusive lock: 2.5 s per
 *   100k messages measured (column 2.1 s, GIN index 0.35 s), about 25 s on the 1M-message bench
 *   store with every webhook and send waiting. Here the migration takes milliseconds and the
 *   messages move to the new configuration through the background re-index of a language change
 *   (batches of 2000, no lock held, resumable), which until it ends matches older messages on the
 *   words both configurations index alike (every word without accents);
 * - the query side folds by itself: `websearch_to_tsquery(omnigate_search_language()::regconfig, 'não')`,
 *   the analysts' SQL, keeps working unchanged, and ts_headline highlights `não` in the original
 *   text for the query `nao` (with a wrapper, the query would need unaccent() too, and snippets
 *   would have to be cut from the unaccented text to highlight anything).
 *
 * The extension is created if missing (unaccent is a trusted extension: the database owner may).
 * Down moves every message back to the configuration it was copied from in one UPDATE (a rewrite
 * of the rows concerned: a message edited later must not meet a dropped configuration) and drops
 * the copies; the extension stays, as other objects may use it.
 */
export class AccentInsensitiveSearch1764601000000 implements MigrationInterface {
  name = 'AccentInsensitiveSearch1764601000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    const schema = await currentSchema(q);
    // the dictionary by its schema: the extension may already live outside omnigate's schema
    const [{ unaccent }]: Array<{ unaccent: string }> = await q.query(
      `SELECT quote_ident(n.nspname) || '.unaccent' AS unaccent
         FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'`,
    );
    // each built-in configuration's mappings, token types sharing a dictionary list grouped
    const mappings: Array<{ cfg: string; tokens: string; dictionaries: string }> = await q.query(
      `SELECT c.cfgname AS cfg, string_agg(quote_ident(t.alias), ', ' ORDER BY t.alias) AS tokens, d.dictionaries
         FROM pg_ts_config c
         JOIN LATERAL (SELECT m.maptokentype,
                              string_agg(m.mapdict::regdictionary::text, ', ' ORDER BY m.mapseqno) AS dictionaries
                         FROM pg_ts_config_map m WHERE m.mapcfg = c.oid GROUP BY m.maptokentype) d ON true
         JOIN ts_token_type(c.cfgparser) t ON t.tokid = d.maptokentype
        WHERE c.cfgnamespace = 'pg_catalog'::regnamespace
        GROUP BY c.cfgname, d.dictionaries
        ORDER BY c.cfgname, d.dictionaries`,
    );
    const created = new Set<string>();
    for (const m of mappings) {
      const folded = `${schema}.${quoteIdent(`${m.cfg}_unaccent`)}`;
      if (!created.has(m.cfg)) {
        await q.query(`CREATE TEXT SEARCH CONFIGURATION ${folded} (COPY = pg_catalog.${quoteIdent(m.cfg)})`);
        created.add(m.cfg);
      }
      await q.query(`ALTER TEXT SEARCH CONFIGURATION ${folded} ALTER MAPPING FOR ${m.tokens} WITH ${unaccent}, ${m.dictionaries}`);
    }
    // the setting moves to the folded copy, as a language change: new messages take it at once,
    // older ones are re-indexed in the background (SearchLanguage) from the next start. Stored
    // schema-qualified, as SearchLanguage stores any configuration outside pg_catalog.
    await q.query(
      `UPDATE search_settings s
          SET language = $1 || '.' || quote_ident(c.cfgname || '_unaccent'),
              changed_xid = pg_current_xact_id(), reindexing = true, reindex_after = NULL, updated_at = now()
         FROM pg_ts_config c
        WHERE c.cfgnamespace = 'pg_catalog'::regnamespace AND quote_ident(c.cfgname) = s.language`,
      [schema],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = await currentSchema(q);
    const builtIn: Array<{ cfg: string }> = await q.query(`SELECT cfgname AS cfg FROM pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace`);
    const back = (column: string): string => `
      SELECT quote_ident(c.cfgname) FROM pg_ts_config c
       WHERE c.cfgnamespace = 'pg_catalog'::regnamespace AND $1 || '.' || quote_ident(c.cfgname || '_unaccent') = ${column}`;
    await q.query(
      `UPDATE search_settings SET language = (${back('search_settings.language')}),
              changed_xid = pg_current_xact_id(), reindexing = true, reindex_after = NULL, updated_at = now()
        WHERE language IN (SELECT $1 || '.' || quote_ident(cfgname || '_unaccent') FROM pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace)`,
      [schema],
    );
    await q.query(
      `UPDATE messages SET search_language = (${back('messages.search_language')})
        WHERE search_language IN (SELECT $1 || '.' || quote_ident(cfgname || '_unaccent') FROM pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace)`,
      [schema],
    );
    for (const { cfg } of builtIn) await q.query(`DROP TEXT SEARCH CONFIGURATION IF EXISTS ${schema}.${quoteIdent(`${cfg}_unaccent`)}`);
  }
}

async function currentSchema(q: QueryRunner): Promise<string> {
  const [{ schema }]: Array<{ schema: string }> = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
  return schema;
}

/** Built-in configuration names are plain lowercase words; quoted all the same. */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
