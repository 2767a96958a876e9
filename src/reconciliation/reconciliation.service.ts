import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { ApiError } from '../common/errors/domain-errors';
import { toApiError } from '../rocketchat/rocketchat-error.mapper';
import { MessageStore } from '../messages/message-store';
import { MetricsService } from '../metrics/metrics.service';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import type { RcMessage } from '../rocketchat/rocketchat.types';
import { RoomCalls } from '../rooms/room-calls';
import { RoomLookup } from '../rooms/room-lookup';
import { RoomStore } from '../rooms/room-store';
import type { SyncResultDto } from './dto/sync-result.dto';
import { historyMessage, isKept } from './history.mapper';
import { HISTORY_PAGE_SIZE } from './reconciliation.options';

export interface SyncTarget {
  id: string;
  rocketchatRoomId: string;
  visitorId: string;
  token: string;
  visitorUsername: string | null;
}

export type Trigger = 'schedule' | 'manual';

/** Another instance (or run) holds the room right now. */
export class RoomBusyError extends ApiError {
  constructor() {
    super(HttpStatus.CONFLICT, 'This room is being synchronised right now; retry in a moment');
  }
}

/**
 * Reads Rocket.Chat's message history of a room, newest first, and inserts what omnigate lacks,
 * so a lost webhook never means a lost message. One instance at a time per room: a session
 * advisory lock held on a dedicated connection while the pages are read.
 */
@Injectable()
export class ReconciliationService {
  private readonly backfilled;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rocketchat: RocketChatClient,
    private readonly rooms: RoomStore,
    private readonly messages: MessageStore,
    private readonly calls: RoomCalls,
    private readonly lookup: RoomLookup,
    metrics: MetricsService,
  ) {
    this.backfilled = metrics.counter('omnigate_reconciliation_backfilled_messages_total', 'Messages inserted by reconciliation (missed webhooks), by trigger', ['trigger']);
  }

  /** `POST /v1/rooms/:id/sync`: by omnigate id or Rocket.Chat room id. */
  async syncById(idOrRid: string): Promise<SyncResultDto> {
    const target = await this.find(idOrRid);
    try {
      const result = await this.sync(target, 'manual');
      if (!result) throw new RoomBusyError();
      return result;
    } catch (error) {
      throw toApiError(error);
    }
  }

  /** null when another instance holds the room. */
  async sync(target: SyncTarget, trigger: Trigger): Promise<SyncResultDto | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ claimed }] = (await runner.query(`SELECT pg_try_advisory_lock(hashtextextended('reconcile:' || $1, 0)) AS claimed`, [target.id])) as Array<{ claimed: boolean }>;
      if (!claimed) return null;
      try {
        return await this.walkHistory(runner, target, trigger);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended('reconcile:' || $1, 0))`, [target.id]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Pages back from now until a page holds nothing new (or the history ends). `end` is exclusive, so
   * the next page ends 1 ms after the oldest message seen: equal timestamps at a page edge are
   * fetched again rather than skipped, and ids already seen in this walk stop the loop.
   */
  private async walkHistory(runner: QueryRunner, target: SyncTarget, trigger: Trigger): Promise<SyncResultDto> {
    const seen = new Set<string>();
    let end = new Date();
    let fetched = 0;
    let inserted = 0;
    for (;;) {
      // a visitor Rocket.Chat lost is registered again; a room it lost is recorded closed (409)
      const page = await this.calls.run({ id: target.id, rocketchatRoomId: target.rocketchatRoomId }, { id: target.visitorId, token: target.token }, () =>
        this.rocketchat.messageHistory({ rid: target.rocketchatRoomId, token: target.token, end, limit: HISTORY_PAGE_SIZE }),
      );
      const fresh = page.filter((m) => !seen.has(m.id));
      fresh.forEach((m) => seen.add(m.id));
      fetched += fresh.length;
      const missing = await this.missing(runner, fresh.filter(isKept));
      if (missing.length) inserted += await this.insert(target, missing);
      if (page.length < HISTORY_PAGE_SIZE || fresh.length === 0 || (missing.length === 0 && fresh.some(isKept))) break;
      end = new Date(Math.min(...page.map((m) => m.createdAt.getTime())) + 1);
    }
    if (inserted) this.backfilled.inc({ trigger }, inserted);
    return { roomId: target.id, fetched, inserted };
  }

  private async missing(runner: QueryRunner, page: RcMessage[]): Promise<RcMessage[]> {
    if (!page.length) return [];
    const rows = (await runner.query(`SELECT rocketchat_message_id AS id FROM messages WHERE rocketchat_message_id = ANY($1)`, [page.map((m) => m.id)])) as Array<{ id: string }>;
    const stored = new Set(rows.map((r) => r.id));
    return page.filter((m) => !stored.has(m.id));
  }

  /** One transaction per page, under the room lock the webhook path also takes. */
  private async insert(target: SyncTarget, missing: RcMessage[]): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const room = await this.rooms.lockById(em, target.id);
      if (!room) return 0;
      let n = 0;
      for (const m of [...missing].reverse()) {
        const { outcome } = await this.messages.upsert(em, room, historyMessage(m, target.visitorUsername));
        if (outcome === 'inserted') n++;
      }
      return n;
    });
  }

  /** The room of a route's `:id` (RoomLookup: 400 for a malformed one, 404 for an unknown one). */
  async find(idOrRid: string): Promise<SyncTarget> {
    const { room, visitor } = await this.lookup.find(idOrRid);
    return { id: room.id, rocketchatRoomId: room.rocketchatRoomId, visitorId: visitor.id, token: visitor.token, visitorUsername: visitor.username };
  }

  /** Open rooms after `afterId` (keyset), for the periodic run. */
  openRooms(afterId: string | null, limit: number): Promise<SyncTarget[]> {
    return this.targets(`r.status <> 'closed' AND ($1::uuid IS NULL OR r.id > $1::uuid) ORDER BY r.id LIMIT ${Number(limit)}`, [afterId]);
  }

  private async targets(where: string, params: unknown[]): Promise<SyncTarget[]> {
    return (await this.dataSource.query(
      `SELECT r.id, r.rocketchat_room_id AS "rocketchatRoomId", v.id AS "visitorId", v.token, v.username AS "visitorUsername"
         FROM rooms r JOIN visitors v ON v.id = r.visitor_id WHERE ${where}`,
      params,
    )) as SyncTarget[];
  }
}
