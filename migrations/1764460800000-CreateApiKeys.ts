import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1764460800000 implements MigrationInterface {
  name = 'CreateApiKeys1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          varchar(100) NOT NULL,
        secret_hash   char(64) NOT NULL,
        secret_prefix varchar(16) NOT NULL,
        scopes        text[] NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_used_at  timestamptz,
        revoked_at    timestamptz,
        CONSTRAINT api_keys_scopes_known CHECK (scopes <@ ARRAY['chat:write', 'transcripts:read', 'admin']::text[] AND cardinality(scopes) > 0)
      )`);
    // authentication looks a key up by the hash of the presented secret
    await q.query(`CREATE UNIQUE INDEX api_keys_secret_hash_key ON api_keys (secret_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
