import { MigrationInterface, QueryRunner } from 'typeorm';
import { regrant, savedGrants, transcriptLinesView } from './support/analyst-views';

/**
 * A visitor may delete its own message (DELETE /v1/rooms/:id/messages/:messageId): `deleted_at`
 * says when. The text stays in `messages.text` for audit (and in the room's `message_deleted`
 * event); the API and transcripts show the message as deleted, and search no longer finds it.
 * `transcript_lines` gains `deleted_at` last (CREATE OR REPLACE keeps its privileges); down makes
 * the view again as it was, granting again what had been granted.
 */
export class MessageDeletions1764650000000 implements MigrationInterface {
  name = 'MessageDeletions1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN deleted_at timestamptz`);
    await q.query(transcriptLinesView({ withName: true, withDeletion: true, replace: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    const grants = await savedGrants(q, 'transcript_lines');
    await q.query(`DROP VIEW transcript_lines`);
    await q.query(transcriptLinesView({ withName: true, replace: false }));
    await regrant(q, 'transcript_lines', grants);
    await q.query(`ALTER TABLE messages DROP COLUMN deleted_at`);
  }
}
