import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pgPool } from '../database/pg-pool';
import { DataSource } from 'typeorm';
import { EVENTS_CHANNEL } from './event-notify.subscriber';

/**
 * NOTIFY for events committed outside a TypeORM transaction (the webhook's one-statement path):
 * the ids of one tick go out in one statement, so a burst of deliveries costs one round trip, not
 * one each. A lost NOTIFY is caught up by the listeners' periodic read of the events table.
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
    const ids = this.pending;
    this.pending = [];
    this.flushing = undefined;
    if (!ids.length) return;
    const pool = pgPool(this.dataSource);
    await pool.query(`SELECT pg_notify('${EVENTS_CHANNEL}', id) FROM unnest($1::text[]) AS id`, [ids]).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushing;
  }
}
