import { EventSubscriber } from 'typeorm';
import type { EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

export const EVENTS_CHANNEL = 'omnigate_events';

const PENDING = 'omnigateEventIds';

/** Remembers an event id to announce once the runner's transaction has committed. */
export function announceAfterCommit(queryRunner: QueryRunner, id: string): void {
  const data = queryRunner.data as Record<string, string[] | undefined>;
  (data[PENDING] ??= []).push(id);
}

/**
 * Sends the NOTIFY of a transaction's events right after its COMMIT, as a statement of its own.
 * A NOTIFY inside the transaction would hold PostgreSQL's notification lock across the commit's
 * WAL flush and serialise every writing request of every instance; after the commit it costs one
 * short statement. Should that statement be lost (the process dies in between), listeners still
 * catch up from the table: live streams on their periodic catch-up, the callback dispatcher on its poll.
 */
@EventSubscriber()
export class EventNotifySubscriber implements EntitySubscriberInterface {
  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    const data = runner.data as Record<string, string[] | undefined>;
    const ids = data[PENDING];
    if (!ids?.length || runner.isTransactionActive) return;
    data[PENDING] = undefined;
    try {
      await runner.query(`SELECT pg_notify('${EVENTS_CHANNEL}', id) FROM unnest($1::text[]) AS id`, [ids]);
    } catch {
      // listeners catch up from the live_events table
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) (event.queryRunner.data as Record<string, unknown>)[PENDING] = undefined;
  }
}
