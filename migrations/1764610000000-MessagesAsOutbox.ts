import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The message row is its own outbox: a pending visitor message carries when it may be tried next
 * (`next_attempt_at`), and a sweeper over the due ones delivers after outages and restarts. No job
 * row per message any more (the `room-delivery` pg-boss queue is left unused). Pending messages of
 * the old design are due at once.
 */
export class MessagesAsOutbox1764610000000 implements MigrationInterface {
  name = 'MessagesAsOutbox1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN next_attempt_at timestamptz`);
    await q.query(`UPDATE messages SET next_attempt_at = now() WHERE delivery_status = 'pending'`);
    // the sweeper: pending messages due now
    await q.query(`CREATE INDEX messages_outbox_due ON messages (next_attempt_at) WHERE delivery_status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messages_outbox_due`);
    await q.query(`ALTER TABLE messages DROP COLUMN next_attempt_at`);
  }
}
