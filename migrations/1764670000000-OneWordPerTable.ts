import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One word per thing: `events` (the live feed behind SSE and callbacks) becomes `live_events`,
 * `room_events` (a room's lifecycle history) `room_history`, and `webhook_deliveries` (Rocket.Chat's
 * webhook deliveries received) `webhook_receipts`; "delivery" is left to outbound messages. Their
 * indexes and sequences follow (a constraint follows its index). Views, foreign keys and grants
 * refer to tables by oid, not name, so they keep working; the analyst views show the new names.
 */
const RENAMES: Array<[string, string]> = [
  ['events', 'live_events'],
  ['room_events', 'room_history'],
  ['webhook_deliveries', 'webhook_receipts'],
];

async function rename(q: QueryRunner, from: string, to: string): Promise<void> {
  await q.query(`ALTER TABLE ${from} RENAME TO ${to}`);
  const indexes: Array<{ name: string }> = await q.query(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass AND c.relname LIKE $2`,
    [to, `${from}\\_%`],
  );
  for (const { name } of indexes) await q.query(`ALTER INDEX ${name} RENAME TO ${to}${name.slice(from.length)}`);
  const sequences: Array<{ name: string }> = await q.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_depend d ON d.objid = c.oid
      WHERE c.relkind = 'S' AND d.refobjid = $1::regclass AND d.deptype IN ('a', 'i') AND c.relname LIKE $2`,
    [to, `${from}\\_%`],
  );
  for (const { name } of sequences) await q.query(`ALTER SEQUENCE ${name} RENAME TO ${to}${name.slice(from.length)}`);
}

export class OneWordPerTable1764670000000 implements MigrationInterface {
  name = 'OneWordPerTable1764670000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [from, to] of RENAMES) await rename(q, from, to);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [from, to] of [...RENAMES].reverse()) await rename(q, to, from);
  }
}
