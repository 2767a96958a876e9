import { MigrationInterface, QueryRunner } from 'typeorm';
import { regrant, roomMetricsView, savedGrants } from './support/analyst-views';

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
    await q.query(roomMetricsView({ withName: true, replace: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [view, sql] of [['transcript_lines', transcriptLinesView(false)], ['room_metrics', roomMetricsView({ withName: false, replace: false })]] as const) {
      const grants = await savedGrants(q, view);
      await q.query(`DROP VIEW ${view}`);
      await q.query(sql);
      await regrant(q, view, grants);
    }
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
