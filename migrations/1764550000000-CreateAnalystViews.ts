import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analysts' SQL surface: `transcript_lines` (one row per message with its room, visitor, agent and
 * department) and `room_metrics` (service metrics per room). The REST API (src/transcripts) queries
 * these same views, so an analyst's SQL and the API never disagree. Plus the indexes their queries need.
 */
export class CreateAnalystViews1764550000000 implements MigrationInterface {
  name = 'CreateAnalystViews1764550000000';

  async up(q: QueryRunner): Promise<void> {
    // Outbound messages Rocket.Chat refused (`failed`) never reached the agent: they are not part of
    // the conversation. The display name falls back without ever reviving an erased visitor's name.
    await q.query(`
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
        m.search_vector
      FROM messages m
      JOIN rooms r ON r.id = m.room_id
      JOIN visitors v ON v.id = r.visitor_id
      WHERE m.delivery_status IS DISTINCT FROM 'failed'`);

    // LATERAL subqueries keyed by room: a filter on rooms (one room, a period) is applied first and
    // each room's messages are read through messages_by_room_time, never the whole table.
    await q.query(`
      CREATE VIEW room_metrics AS
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
        tr.transfers
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
      ) tr`);

    // GET /v1/transcripts?q=: the planner picks between walking rooms newest-first (common words) and
    // the GIN index messages_search (rare words) from the word's estimated frequency; with the default
    // statistics a rare word (an order number, a name) is estimated far too common and the planner
    // walks every room. A larger sample of the tsvector's most common elements fixes the estimate.
    await q.query(`ALTER TABLE messages ALTER COLUMN search_vector SET STATISTICS 1000`);
    // GET /v1/exports/messages and transcript_lines by period: messages in sent order across rooms
    await q.query(`CREATE INDEX messages_export_by_sent_at ON messages (sent_at, seq)`);
    // GET /v1/transcripts?tag=: rooms carrying a tag
    await q.query(`CREATE INDEX rooms_search_by_tag ON rooms USING gin (tags)`);
    // GET /v1/transcripts?status= and metrics by status over a period (queued/open rooms are few, closed many)
    await q.query(`CREATE INDEX rooms_search_by_status_opened ON rooms (status, opened_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rooms_search_by_status_opened`);
    await q.query(`DROP INDEX rooms_search_by_tag`);
    await q.query(`DROP INDEX messages_export_by_sent_at`);
    await q.query(`ALTER TABLE messages ALTER COLUMN search_vector SET STATISTICS -1`);
    await q.query(`DROP VIEW room_metrics`);
    await q.query(`DROP VIEW transcript_lines`);
  }
}
