import type { QueryRunner } from 'typeorm';

/**
 * Shared by the migrations that change the analysts' views (this folder is outside the migrations
 * glob, so nothing here is taken for a migration). A view changed with CREATE OR REPLACE keeps its
 * privileges; one dropped and made again gets them back through savedGrants/regrant.
 */

export interface Grant {
  grantee: string;
  privilege: string;
  grantable: boolean;
}

/** Privileges granted on a relation to roles other than its owner (PUBLIC included). */
export async function savedGrants(q: QueryRunner, relation: string): Promise<Grant[]> {
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

export async function regrant(q: QueryRunner, relation: string, grants: Grant[]): Promise<void> {
  for (const g of grants) {
    await q.query(`GRANT ${g.privilege} ON ${relation} TO ${g.grantee}${g.grantable ? ' WITH GRANT OPTION' : ''}`);
  }
}

/**
 * `room_metrics` as each migration left it: CreateAnalystViews' columns, then (withName,
 * AddDepartmentNamesToAnalystViews) the department's name, then (withSurvey, RoomSurveys) the
 * visitor's satisfaction survey. New columns only ever go last, so CREATE OR REPLACE applies.
 */
export function roomMetricsView(options: { withName: boolean; withSurvey?: boolean; replace: boolean }): string {
  const { withName, withSurvey = false } = options;
  return `
    ${options.replace ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW'} room_metrics AS
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
      tr.transfers${withName ? ',\n      d.name                  AS department_name' : ''}${
        withSurvey
          ? `,
      s.rating                AS survey_rating,
      s.comment               AS survey_comment,
      s.submitted_at          AS survey_submitted_at`
          : ''
      }
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
    ) tr${withName ? '\n    LEFT JOIN departments d ON d.id = r.department_id' : ''}${withSurvey ? "\n    LEFT JOIN room_surveys s ON s.room_id = r.id AND s.state = 'recorded'" : ''}`;
}

/**
 * `transcript_lines` as each migration left it: ConfigurableSearchLanguage's columns, then
 * (withName, AddDepartmentNamesToAnalystViews) the department's name, then (withDeletion,
 * MessageDeletions) when the visitor deleted the message. New columns only ever go last.
 */
export function transcriptLinesView(options: { withName: boolean; withDeletion?: boolean; replace: boolean }): string {
  const { withName, withDeletion = false } = options;
  return `
    ${options.replace ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW'} transcript_lines AS
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
      m.search_language${withName ? ',\n      d.name                  AS department_name' : ''}${withDeletion ? ',\n      m.deleted_at' : ''}
    FROM messages m
    JOIN rooms r ON r.id = m.room_id
    JOIN visitors v ON v.id = r.visitor_id${withName ? '\n    LEFT JOIN departments d ON d.id = r.department_id' : ''}
    WHERE m.delivery_status IS DISTINCT FROM 'failed'`;
}
