import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visitor session tokens (`ogs_...`) carry the epoch of their visitor at minting; every request and
 * every open stream checks it against `visitors.session_epoch`, and revoking a visitor's sessions
 * adds one (tokens minted before no longer work). Tokens minted before this migration carry no
 * epoch and count as epoch 0: they keep working until they expire or are revoked.
 */
export class VisitorSessionEpochs1764660000000 implements MigrationInterface {
  name = 'VisitorSessionEpochs1764660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE visitors ADD COLUMN session_epoch integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE visitors DROP COLUMN session_epoch`);
  }
}
