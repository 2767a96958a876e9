import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { EVENTS_CHANNEL } from '../live/event-notify.subscriber';

export interface NotificationListener {
  /** a NOTIFY on the listener's channel was committed (its payload) */
  onNotification(payload: string): void;
  /** the connection was lost and is back: notifications may have been missed meanwhile */
  onReconnected(): void;
}

const CHANNEL = /^[a-z_]{1,63}$/;

/**
 * The one connection per instance that LISTENs, shared by the live streams and the callback
 * dispatcher (the event log's channel) and the visitor sessions (revocations). A lost connection is
 * re-established with backoff, and every listener is told so that it can catch up from its table.
 */
@Injectable()
export class PgNotifications implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PgNotifications.name);
  private readonly listeners = new Map<string, Set<NotificationListener>>();
  private client?: Client;
  private closed = false;

  constructor(private readonly config: AppConfig) {}

  /** Listens on `channel` (the event log's by default) until the returned function is called. */
  subscribe(listener: NotificationListener, channel: string = EVENTS_CHANNEL): () => void {
    if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.listeners.get(channel);
    if (!set) {
      this.listeners.set(channel, (set = new Set()));
      // a channel first subscribed after the connection was made (onModuleInit of a later provider)
      this.client?.query(`LISTEN ${channel}`).catch((error: Error) => this.logger.warn(`could not LISTEN ${channel}: ${error.message}`));
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  async onModuleInit(): Promise<void> {
    if (!this.listeners.has(EVENTS_CHANNEL)) this.listeners.set(EVENTS_CHANNEL, new Set());
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.database.url, application_name: 'omnigate-events' });
    client.on('notification', (n) => {
      if (!n.payload) return;
      for (const l of this.listeners.get(n.channel) ?? []) l.onNotification(n.payload);
    });
    client.on('error', (error) => {
      this.logger.warn(`notification listener lost its connection: ${error.message}`);
      void this.reconnect(client);
    });
    await client.connect();
    for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
    this.client = client;
  }

  private async reconnect(broken: Client): Promise<void> {
    if (this.closed || this.client !== broken) return;
    this.client = undefined;
    await broken.end().catch(() => undefined);
    for (let delay = 100; !this.closed; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.connect();
        for (const set of this.listeners.values()) for (const l of set) l.onReconnected();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
