import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rocket.Chat's departments as omnigate last read them (`livechat/config`, or the authenticated
 * department list when credentials are set), so rooms, transcripts, metrics and the analyst views
 * can carry a department's name. Rows are upserted on every read; a department Rocket.Chat no
 * longer lists keeps its last name (old rooms still point at it).
 */
export class CreateDepartments1764590000000 implements MigrationInterface {
  name = 'CreateDepartments1764590000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE departments (
        id                    varchar(64) PRIMARY KEY,
        name                  varchar(255) NOT NULL,
        enabled               boolean NOT NULL DEFAULT true,
        show_on_registration  boolean,
        show_on_offline_form  boolean,
        -- when Rocket.Chat last listed it (null: no longer listed)
        listed_at             timestamptz,
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE departments');
  }
}
