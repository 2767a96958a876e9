import { TranscriptSearchQueryDto } from './dto/search.dto';
import { CURSOR_TIME_SQL, decodeTimeCursor } from './keyset-cursor';
import { GIN_FIRST_MAX_MATCHES, SNIPPETS_PER_ROOM } from './search-config';

/**
 * The search's SQL, apart from the service so that the EXPLAIN test checks the very queries the API
 * runs. `language` is the text search configuration (SEARCH_LANGUAGE) as a parameter: the planner
 * still sees its value (node-postgres sends unnamed statements, planned with their parameters).
 */

/**
 * Step 1 of a search with words: the rooms of the matching messages, reading at most
 * GIN_FIRST_MAX_MATCHES + 1 of them through the GIN index messages_search. `matches` above the
 * bound means the words are common and `rooms` is incomplete.
 */
export function matchingRoomsSql(language: string, q: string): { sql: string; params: unknown[] } {
  return {
    sql: `
      SELECT count(*)::int AS matches, COALESCE(array_agg(DISTINCT room_id), '{}') AS rooms
        FROM (SELECT room_id FROM messages
               WHERE search_vector @@ websearch_to_tsquery($1::regconfig, $2)
                 AND delivery_status IS DISTINCT FROM 'failed' AND deleted_at IS NULL
               LIMIT ${GIN_FIRST_MAX_MATCHES + 1}) hits`,
    params: [language, q],
  };
}

/**
 * Step 2: one page of rooms, newest first, through the rooms' indexes (rooms_by_opened,
 * rooms_by_agent_opened, rooms_by_department_opened, rooms_by_visitor_opened, rooms_search_by_tag,
 * rooms_search_by_status_opened). With `text.rooms` (rare words) the rooms are those of step 1, read
 * by primary key; with `text.language` (common words) each room is checked for a match as the walk
 * goes, which stops at the page's end.
 */
export function searchRoomsSql(
  query: TranscriptSearchQueryDto,
  limit: number,
  text?: { rooms: string[] } | { language: string },
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown): string => `$${params.push(value)}`;
  const where: string[] = [];
  if (query.q && text && 'rooms' in text) where.push(`r.id = ANY(${p(text.rooms)}::uuid[])`);
  if (query.q && text && 'language' in text) {
    where.push(`EXISTS (SELECT 1 FROM messages m
                         WHERE m.room_id = r.id AND m.search_vector @@ websearch_to_tsquery(${p(text.language)}::regconfig, ${p(query.q)})
                           AND m.delivery_status IS DISTINCT FROM 'failed' AND m.deleted_at IS NULL)`);
  }
  if (query.from) where.push(`r.opened_at >= ${p(new Date(query.from))}`);
  if (query.to) where.push(`r.opened_at < ${p(new Date(query.to))}`);
  if (query.agentId) where.push(`r.agent_id = ${p(query.agentId)}`);
  if (query.departmentId) where.push(`r.department_id = ${p(query.departmentId)}`);
  if (query.visitorToken) where.push(`v.token = ${p(query.visitorToken)}`);
  if (query.status) where.push(`r.status = ${p(query.status)}`);
  if (query.tag) where.push(`r.tags @> ARRAY[${p(query.tag)}]::text[]`);
  if (query.cursor) {
    const c = decodeTimeCursor(query.cursor);
    where.push(`(r.opened_at, r.id) < (${p(c.t)}::timestamptz, ${p(c.id)}::uuid)`);
  }
  const sql = `
    SELECT r.id, r.rocketchat_room_id, r.status, r.opened_at, r.closed_at, r.department_id, d.name AS department_name,
           r.agent_id, r.agent_username, r.agent_name, r.tags, r.message_count,
           v.id AS visitor_id, v.token AS visitor_token, v.name AS visitor_name,
           ${CURSOR_TIME_SQL('r.opened_at')} AS cursor_at
      FROM rooms r JOIN visitors v ON v.id = r.visitor_id LEFT JOIN departments d ON d.id = r.department_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY r.opened_at DESC, r.id DESC
     LIMIT ${p(limit)}`;
  return { sql, params };
}

/**
 * $1 room ids of the page, $2 the text search configuration, $3 the query, $4 ts_headline options;
 * ts_headline runs on the kept rows only.
 */
export const SEARCH_MATCHES_SQL = `
  SELECT room_id, message_id, sent_at, author_type, author_display_name, match_count,
         ts_headline($2::regconfig, text, websearch_to_tsquery($2::regconfig, $3), $4) AS snippet
    FROM (SELECT t.room_id, t.message_id, t.sent_at, t.seq, t.author_type, t.author_display_name, t.text,
                 row_number() OVER (PARTITION BY t.room_id ORDER BY t.sent_at, t.seq) AS n,
                 count(*) OVER (PARTITION BY t.room_id)::int AS match_count
            FROM transcript_lines t
           WHERE t.room_id = ANY($1::uuid[]) AND t.search_vector @@ websearch_to_tsquery($2::regconfig, $3) AND t.deleted_at IS NULL) hits
   WHERE n <= ${SNIPPETS_PER_ROOM}
   ORDER BY room_id, sent_at, seq`;
