import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log behind live streams and callbacks: one row per thing an app may want pushed (a new
 * message, a delivery status, a room status change), appended in the transaction that made the
 * change, announced with NOTIFY (payload: the id only). Its id is the SSE event id.
 */
export class CreateEventLog1764553600000 implements MigrationInterface {
  name = 'CreateEventLog1764553600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        type       varchar(40) NOT NULL,
        room_id    uuid NOT NULL REFERENCES rooms (id),
        visitor_id uuid NOT NULL REFERENCES visitors (id),
        data       jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // SSE resume (Last-Event-ID) on a room's stream and on a visitor's stream
    await q.query(`CREATE INDEX events_by_room ON events (room_id, id)`);
    await q.query(`CREATE INDEX events_by_visitor ON events (visitor_id, id)`);

    // server-side secrets shared by all instances (stream-token signing key)
    await q.query(`
      CREATE TABLE app_secrets (
        name       varchar(64) PRIMARY KEY,
        value      text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // two v4 UUIDs from PostgreSQL's strong random source: 244 random bits
    await q.query(`INSERT INTO app_secrets (name, value) VALUES ('stream-token', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE app_secrets');
    await q.query('DROP TABLE events');
  }
}
