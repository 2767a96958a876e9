import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withDownloadUrls } from '../messages/message.mapper';
import { MetricsService } from '../metrics/metrics.service';
import { LiveEvent, LiveEventType } from './event-log';
import { PgNotifications } from '../database/pg-notifications';

export type StreamFilter = { roomId: string } | { visitorId: string };

interface Subscriber {
  filter: StreamFilter;
  send: (event: LiveEvent) => void;
  /** live events that arrived while the backlog was being replayed */
  buffer: LiveEvent[] | null;
  /** ids already sent, to never send one twice (backlog and live overlap) */
  sent: Set<string>;
  lastId: string;
  /** events at or below this id predate the stream (a fresh stream starts after them) */
  floor: bigint;
  /** a catch-up is reading for this stream; `again`: more was announced meanwhile */
  reading?: { again: boolean };
}

interface EventRow {
  id: string;
  type: LiveEventType;
  room_id: string;
  visitor_id: string;
  data: Record<string, unknown>;
  created_at: Date;
}

const SELECT_EVENT = `SELECT id::text AS id, type, room_id, visitor_id, data, created_at FROM live_events`;
const BACKLOG_PAGE = 500;
const SENT_MEMORY = 5000;
const CATCH_UP_EVERY_MS = 5000;

function toEvent(r: EventRow): LiveEvent {
  return { id: r.id, type: r.type, roomId: r.room_id, visitorId: r.visitor_id, data: withDownloadUrls(r.room_id, r.data), createdAt: r.created_at };
}

/**
 * Fans committed events out to this instance's live streams. Told of each committed event id by
 * PgNotifications (one LISTEN connection per instance); the rows are read once per batch and handed to the streams
 * of their room and visitor, so N instances behind a load balancer behave as one. A stream that
 * resumes (Last-Event-ID) first replays what it missed, then goes live: no gap, no duplicate.
 */
@Injectable()
export class LiveHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveHub.name);
  private readonly byRoom = new Map<string, Set<Subscriber>>();
  private readonly byVisitor = new Map<string, Set<Subscriber>>();
  private unlisten?: () => void;
  private sweep?: NodeJS.Timeout;
  private pendingIds: string[] = [];
  private flushing = false;
  private readonly openStreams;
  private readonly published;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: PgNotifications,
    metrics: MetricsService,
  ) {
    this.openStreams = metrics.gauge('omnigate_live_streams_open', 'Open SSE streams on this instance');
    this.published = metrics.counter('omnigate_live_events_delivered_total', 'Events written to SSE streams', ['type']);
  }

  onModuleInit(): void {
    // a notification lost between a commit and its NOTIFY still reaches open streams, a bit later
    this.sweep = setInterval(() => {
      for (const s of this.all()) if (!s.buffer) void this.catchUp(s).catch(() => undefined);
    }, CATCH_UP_EVERY_MS);
    this.sweep.unref();
    this.unlisten = this.notifications.subscribe({
      onNotification: (id) => this.enqueue(id),
      // notifications may have been missed: every stream catches up from its last id
      onReconnected: () => {
        for (const s of this.all()) void this.catchUp(s).catch(() => undefined);
      },
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
    this.unlisten?.();
  }

  private *all(): Iterable<Subscriber> {
    for (const set of this.byRoom.values()) yield* set;
    for (const set of this.byVisitor.values()) yield* set;
  }

  private enqueue(id: string): void {
    // no stream open here: nothing to read (a stream opened later starts from the table)
    if (!this.byRoom.size && !this.byVisitor.size) return;
    this.pendingIds.push(id);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    while (this.pendingIds.length) {
      const ids = this.pendingIds.splice(0, 1000);
      try {
        const rows: EventRow[] = await this.dataSource.query(`${SELECT_EVENT} WHERE id = ANY($1::bigint[]) ORDER BY live_events.id`, [ids]);
        for (const row of rows) this.dispatch(toEvent(row));
      } catch (error) {
        this.logger.warn(`could not read announced events: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.flushing = false;
  }

  private dispatch(event: LiveEvent): void {
    for (const s of this.byRoom.get(event.roomId) ?? []) this.offer(s, event);
    for (const s of this.byVisitor.get(event.visitorId) ?? []) this.offer(s, event);
  }

  /**
   * Announcements may arrive out of id order (each writer announces after its own commit), so the
   * stream reads its room's events from the table, in id order, after what it sent: a room's events
   * get ids in commit order under the room lock, so what it reads has no gap.
   */
  private offer(s: Subscriber, event: LiveEvent): void {
    if (s.buffer) s.buffer.push(event);
    else if (BigInt(event.id) > BigInt(s.lastId)) void this.readOn(s);
  }

  private async readOn(s: Subscriber): Promise<void> {
    if (s.reading) {
      s.reading.again = true;
      return;
    }
    s.reading = { again: false };
    try {
      do {
        s.reading.again = false;
        await this.catchUp(s);
      } while (s.reading.again);
    } catch (error) {
      this.logger.warn(`could not read a stream's events: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      s.reading = undefined;
    }
  }

  private deliver(s: Subscriber, event: LiveEvent): void {
    if (s.sent.has(event.id) || BigInt(event.id) <= s.floor) return;
    s.sent.add(event.id);
    if (s.sent.size > SENT_MEMORY) s.sent.delete(s.sent.values().next().value!);
    if (BigInt(event.id) > BigInt(s.lastId)) s.lastId = event.id;
    this.published.inc({ type: event.type });
    s.send(event);
  }

  /** Replays a subscriber's events after its last id, page by page. */
  private async catchUp(s: Subscriber): Promise<void> {
    const [column, value] = 'roomId' in s.filter ? ['room_id', s.filter.roomId] : ['visitor_id', s.filter.visitorId];
    for (;;) {
      const rows: EventRow[] = await this.dataSource.query(`${SELECT_EVENT} WHERE ${column} = $1 AND live_events.id > $2::bigint ORDER BY live_events.id LIMIT ${BACKLOG_PAGE}`, [
        value,
        s.lastId,
      ]);
      for (const row of rows) this.deliver(s, toEvent(row));
      if (rows.length < BACKLOG_PAGE) return;
    }
  }

  /**
   * Opens a stream. With `lastEventId`, the events after it are replayed first. Live events that
   * arrive meanwhile wait in a buffer, then follow; ids already sent are skipped.
   */
  async subscribe(filter: StreamFilter, lastEventId: string | undefined, send: (event: LiveEvent) => void): Promise<() => void> {
    const s: Subscriber = { filter, send, buffer: [], sent: new Set(), lastId: '0', floor: 0n };
    const [index, key] = 'roomId' in filter ? [this.byRoom, filter.roomId] : [this.byVisitor, filter.visitorId];
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(s);
    this.openStreams.inc();
    const unsubscribe = (): void => {
      if (!set!.delete(s)) return;
      if (!set!.size) index.delete(key);
      this.openStreams.dec();
    };
    try {
      if (lastEventId) {
        s.lastId = lastEventId;
        await this.catchUp(s);
      } else {
        // A room's (and in practice a visitor's) events get ids in commit order under the room lock,
        // so the newest committed id of this stream is a safe starting point.
        const [column, value] = 'roomId' in filter ? ['room_id', filter.roomId] : ['visitor_id', filter.visitorId];
        const [row]: Array<{ max: string | null }> = await this.dataSource.query(`SELECT max(id)::text AS max FROM live_events WHERE ${column} = $1`, [value]);
        s.floor = BigInt(row?.max ?? 0);
        s.lastId = row?.max ?? '0';
      }
      const buffered = s.buffer!;
      s.buffer = null;
      for (const event of buffered) this.deliver(s, event);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }
}
