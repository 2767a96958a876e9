import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room opening is serialised per visitor by a lease row instead of a lock held across the
 * Rocket.Chat call: Rocket.Chat 7.10.3 and older await their first webhook attempt inside
 * `GET livechat/room`, and that webhook must never wait on anything the opening request holds.
 * A lease is taken and given back in statements of their own; an instance that dies leaves a
 * lease that simply expires.
 */
export class CreateRoomOpeningLeases1764580000000 implements MigrationInterface {
  name = 'CreateRoomOpeningLeases1764580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE room_opening_leases (
        visitor_id uuid PRIMARY KEY REFERENCES visitors (id) ON DELETE CASCADE,
        holder     uuid NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE room_opening_leases');
  }
}
