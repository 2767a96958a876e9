import type { Client } from 'pg';

/**
 * What the conversations left in omnigate's tables, without generated ids and wall-clock columns:
 * equal snapshots mean the same final state.
 */
export async function storeSnapshot(db: Client) {
  const rooms = await db.query(
    `SELECT rocketchat_room_id, status, agent_id, agent_username, agent_name, department_id, opened_at, queued_at, served_at,
            closed_at, closed_by, closer_id, closer_username, close_comment, tags, last_message_at, message_count, state_at
       FROM rooms ORDER BY rocketchat_room_id`,
  );
  const events = await db.query(
    `SELECT r.rocketchat_room_id, e.type, e.data, e.occurred_at, e.dedupe_key
       FROM room_history e JOIN rooms r ON r.id = e.room_id ORDER BY r.rocketchat_room_id, e.dedupe_key`,
  );
  const messages = await db.query(
    `SELECT r.rocketchat_room_id, m.rocketchat_message_id, m.author_type, m.author_id, m.author_username, m.author_name, m.text,
            m.attachments, m.system_type, m.sent_at, m.edited_at
       FROM messages m JOIN rooms r ON r.id = m.room_id ORDER BY m.sent_at, m.rocketchat_message_id`,
  );
  const visitors = await db.query(`SELECT token, rocketchat_id, username, name, email, phone, department, custom_fields FROM visitors ORDER BY token`);
  return { rooms: rooms.rows, events: events.rows, messages: messages.rows, visitors: visitors.rows };
}
