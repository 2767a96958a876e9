import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pgPool } from '../database/pg-pool';
import { EVENTS_CHANNEL } from './event-notify.subscriber';

/**
 * NOTIFY for events committed outside a TypeORM transaction (the one-statement paths): the ids of
 * one tick go out in one statement, so a burst of deliveries costs one round trip, not one each.
 * One flush at a time, so listeners hear the ids in the order they were announced. A lost NOTIFY is
 * caught up by the listeners' periodic read of the live_events table.
 */
@Injectable()
export class EventAnnouncer implements OnApplicationShutdown {
  private pending: string[] = [];
  private flushing: Promise<void> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  announce(id: string): void {
    this.pending.push(id);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    while (this.pending.length) {
      const ids = this.pending;
      this.pending = [];
      await pgPool(this.dataSource)
        .query(`SELECT pg_notify('${EVENTS_CHANNEL}', id) FROM unnest($1::text[]) AS id`, [ids])
        .catch(() => undefined);
    }
    this.flushing = undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushing;
  }
}
