import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every message updates its room's counters (`message_count`, `last_message_at`, `updated_at`).
 * `rooms_active_by_status` indexed `updated_at`, which made each of those updates a non-HOT one:
 * a new entry in every one of the room's nine indexes, per message. No query orders open rooms by
 * `updated_at` (reconciliation walks them by id), so the index becomes `(id)` over open rooms, and
 * the table keeps free space on its pages so the counter updates stay on the page (HOT).
 */
export class HotRoomUpdates1764620000000 implements MigrationInterface {
  name = 'HotRoomUpdates1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rooms_active_by_status`);
    // reconciliation: open rooms in id order (ReconciliationService.openRooms)
    await q.query(`CREATE INDEX rooms_open_by_id ON rooms (id) WHERE status <> 'closed'`);
    // applies to pages written from now on; a VACUUM FULL would apply it to existing ones
    await q.query(`ALTER TABLE rooms SET (fillfactor = 80)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rooms RESET (fillfactor)`);
    await q.query(`DROP INDEX rooms_open_by_id`);
    await q.query(`CREATE INDEX rooms_active_by_status ON rooms (status, updated_at) WHERE status <> 'closed'`);
  }
}
