import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `transcript_lines` and `room_metrics` gain `department_name`: the name of the room's department as
 * omnigate last read it from Rocket.Chat (table `departments`), null for a department it never read.
 *
 * Up is CREATE OR REPLACE VIEW with the column appended last: the views are not dropped, so the
 * privileges granted on them (an analyst role) and any view an analyst built on them stay. Down
 * cannot remove a column that way: it drops and recreates both views as they were, granting again
 * what had been granted (as ConfigurableSearchLanguage does).
 */
export class AddDepartmentNamesToAnalystViews1764600000000 implements MigrationInterface {
  name = 'AddDepartmentNamesToAnalystViews1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(transcriptLinesView(true));
    await q.query(roomMetricsView(true));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [view, sql] of [['transcript_lines', transcriptLinesView(false)], ['room_metrics', roomMetricsView(false)]] as const) {
      const grants = await savedGrants(q, view);
      await q.query(`DROP VIEW ${view}`);
      await q.query(sql);
      await regrant(q, view, grants);
    }
  }
}

interface Grant {
  grantee: string;
  privilege: string;
  grantable: boolean;
}

/** Privileges granted on a relation to roles other than its owner (PUBLIC included). */
async function savedGrants(q: QueryRunner, relation: string): Promise<Grant[]> {
  return q.query(
    `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee,
            a.privilege_type AS privilege, a.is_grantable AS grantable
       FROM pg_class c
       CROSS JOIN LATERAL aclexplode(c.relacl) a
       LEFT JOIN pg_roles r ON r.oid = a.grantee
      WHERE c.oid = $1::regclass AND a.grantee <> c.relowner`,
    [relation],
  );
}

async function regrant(q: QueryRunner, relation: string, grants: Grant[]): Promise<void> {
  for (const g of grants) {
    await q.query(`GRANT ${g.privilege} ON ${relation} TO ${g.grantee}${g.grantable ? ' WITH GRANT OPTION' : ''}`);
  }
}

/** transcript_lines as ConfigurableSearchLanguage left it, plus (withName) the department's name. */
function transcriptLinesView(withName: boolean): string {
  return `
    ${withName ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW'} transcript_lines AS
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
      m.search_vector,
      m.search_language${withName ? ',\n      d.name                  AS department_name' : ''}
    FROM messages m
    JOIN rooms r ON r.id = m.room_id
    JOIN visitors v ON v.id = r.visitor_id${withName ? '\n    LEFT JOIN departments d ON d.id = r.department_id' : ''}
    WHERE m.delivery_status IS DISTINCT FROM 'failed'`;
}

/** room_metrics as CreateAnalystViews made it, plus (withName) the department's name. */
function roomMetricsView(withName: boolean): string {
  return `
    ${withName ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW'} room_metrics AS
    SELECT
      r.id                    AS room_id,
      r.rocketchat_room_id,
      r.visitor_id,
      r.status,
      r.department_id,
      r.agent_id,
      r.agent_username,
      r.agent_name,
      r.tags,
      r.opened_at,
      r.served_at,
      r.closed_at,
      r.closed_by,
      EXTRACT(EPOCH FROM (r.served_at - r.opened_at))::float8            AS wait_seconds,
      fv.sent_at              AS first_visitor_message_at,
      fa.sent_at              AS first_agent_reply_at,
      EXTRACT(EPOCH FROM (fa.sent_at - fv.sent_at))::float8              AS first_response_seconds,
      EXTRACT(EPOCH FROM (r.closed_at - r.served_at))::float8            AS handle_seconds,
      EXTRACT(EPOCH FROM (r.closed_at - r.opened_at))::float8            AS duration_seconds,
      mc.visitor_messages,
      mc.agent_messages,
      mc.bot_messages,
      mc.system_messages,
      tr.transfers${withName ? ',\n      d.name                  AS department_name' : ''}
    FROM rooms r
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE m.author_type = 'visitor')::int AS visitor_messages,
             count(*) FILTER (WHERE m.author_type = 'agent')::int   AS agent_messages,
             count(*) FILTER (WHERE m.author_type = 'bot')::int     AS bot_messages,
             count(*) FILTER (WHERE m.author_type = 'system')::int  AS system_messages
        FROM messages m
       WHERE m.room_id = r.id AND m.delivery_status IS DISTINCT FROM 'failed'
    ) mc
    LEFT JOIN LATERAL (
      SELECT m.sent_at, m.seq FROM messages m
       WHERE m.room_id = r.id AND m.author_type = 'visitor' AND m.delivery_status IS DISTINCT FROM 'failed'
       ORDER BY m.sent_at, m.seq LIMIT 1
    ) fv ON true
    LEFT JOIN LATERAL (
      SELECT m.sent_at FROM messages m
       WHERE m.room_id = r.id AND m.author_type = 'agent' AND (m.sent_at, m.seq) > (fv.sent_at, fv.seq)
       ORDER BY m.sent_at, m.seq LIMIT 1
    ) fa ON true
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS transfers FROM room_events e
       WHERE e.room_id = r.id AND e.type IN ('forwarded', 'transferred')
    ) tr${withName ? '\n    LEFT JOIN departments d ON d.id = r.department_id' : ''}`;
}
