import PgBoss from 'pg-boss';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job queue's schema (pg-boss, schema `pgboss`), created here so that the schema comes from
 * migrations only; the queue starts with `migrate: false`. pg-boss is pinned exactly in
 * package.json: upgrading it means a new migration with PgBoss.getMigrationPlans.
 */
export class CreateJobQueue1764547300000 implements MigrationInterface {
  name = 'CreateJobQueue1764547300000';

  async up(q: QueryRunner): Promise<void> {
    // the plan brings its own BEGIN/COMMIT; TypeORM already runs this migration in a transaction
    const plan = PgBoss.getConstructionPlans('pgboss').replace(/^\s*BEGIN;/, '').replace(/COMMIT;\s*$/, '');
    await q.query(plan);
    // queues are created here too: creating them at start-up races pg-boss's own maintenance
    // (deadlocks on the queue's partition) when several instances start at once
    await q.query(`SELECT pgboss.create_queue('room-delivery', '{"policy":"stately"}'::json)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP SCHEMA pgboss CASCADE');
  }
}
