import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed callbacks: subscriptions, one row per delivery attempt, and the dispatcher's cursor over the
 * event log. Event ids come from an identity, so they are not in commit order across rooms: a cursor
 * on ids alone would skip an event whose transaction commits after a higher id. Each event therefore
 * records its transaction id (`tx`), and the dispatcher reads only transactions older than every one
 * still running, in (tx, id) order: that prefix can never grow behind the cursor.
 */
export class CreateCallbacks1764560000000 implements MigrationInterface {
  name = 'CreateCallbacks1764560000000';

  async up(q: QueryRunner): Promise<void> {
    // nullable, then a default: no table rewrite; older events (tx NULL) predate every subscription
    await q.query(`ALTER TABLE events ADD COLUMN tx xid8`);
    await q.query(`ALTER TABLE events ALTER COLUMN tx SET DEFAULT pg_current_xact_id()`);
    // the dispatcher's scan: events after the cursor, in (tx, id) order
    await q.query(`CREATE INDEX events_by_tx ON events (tx, id) WHERE tx IS NOT NULL`);

    await q.query(`
      CREATE TABLE callback_subscriptions (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url                  varchar(2000) NOT NULL,
        events               text[] NOT NULL,
        -- kept as given: it signs every callback (HMAC), so it cannot be hashed
        secret               varchar(200) NOT NULL,
        -- events up to this id were logged before the subscription existed
        after_event_id       bigint NOT NULL,
        consecutive_failures integer NOT NULL DEFAULT 0,
        created_at           timestamptz NOT NULL DEFAULT now(),
        disabled_at          timestamptz,
        disabled_reason      text
      )`);
    await q.query(`
      CREATE TABLE callback_attempts (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES callback_subscriptions (id) ON DELETE CASCADE,
        event_id        bigint NOT NULL,
        event_type      varchar(40) NOT NULL,
        attempt         integer NOT NULL,
        outcome         varchar(16) NOT NULL CHECK (outcome IN ('delivered', 'failed', 'retrying', 'gave_up')),
        http_status     integer,
        error           text,
        latency_ms      integer NOT NULL,
        attempted_at    timestamptz NOT NULL DEFAULT now()
      )`);
    // GET /v1/subscriptions/:id/deliveries, newest first
    await q.query(`CREATE INDEX callback_attempts_by_subscription ON callback_attempts (subscription_id, id DESC)`);

    await q.query(`
      CREATE TABLE callback_cursor (
        singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        last_tx       xid8 NOT NULL,
        last_event_id bigint NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO callback_cursor (last_tx, last_event_id) VALUES ('0'::xid8, 0)`);

    await q.query(`SELECT pgboss.create_queue('callback-delivery', '{"policy":"standard"}'::json)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pgboss.delete_queue('callback-delivery')`);
    await q.query('DROP TABLE callback_cursor');
    await q.query('DROP TABLE callback_attempts');
    await q.query('DROP TABLE callback_subscriptions');
    await q.query('DROP INDEX events_by_tx');
    await q.query('ALTER TABLE events DROP COLUMN tx');
  }
}
