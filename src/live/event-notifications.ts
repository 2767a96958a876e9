import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { EVENTS_CHANNEL } from './event-log';

export interface EventListener {
  /** an event id was committed (NOTIFY payload) */
  onEvent(id: string): void;
  /** the connection was lost and is back: notifications may have been missed meanwhile */
  onReconnected(): void;
}

/**
 * The one connection per instance that LISTENs on the event log's channel, shared by the live
 * streams and the callback dispatcher. A lost connection is re-established with backoff, and every
 * listener is told so that it can catch up from the table.
 */
@Injectable()
export class EventNotifications implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventNotifications.name);
  private readonly listeners = new Set<EventListener>();
  private client?: Client;
  private closed = false;

  constructor(private readonly config: AppConfig) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.database.url, application_name: 'omnigate-events' });
    client.on('notification', (n) => {
      if (n.channel !== EVENTS_CHANNEL || !n.payload) return;
      for (const l of this.listeners) l.onEvent(n.payload);
    });
    client.on('error', (error) => {
      this.logger.warn(`event listener lost its connection: ${error.message}`);
      void this.reconnect(client);
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.client = client;
  }

  private async reconnect(broken: Client): Promise<void> {
    if (this.closed || this.client !== broken) return;
    this.client = undefined;
    await broken.end().catch(() => undefined);
    for (let delay = 100; !this.closed; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.connect();
        for (const l of this.listeners) l.onReconnected();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
