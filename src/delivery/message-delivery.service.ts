import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { RocketChatRejectedError, RocketChatUnavailableError } from '../rocketchat/rocketchat.errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { backoffMs } from './backoff';
import { EventLog } from '../live/event-log';
import { isRoomGone, RoomLoss } from '../rooms/room-loss.service';
import { VisitorRegistration } from '../visitors/visitor-registration.service';
import { JobQueue } from './job-queue.service';

export const ROOM_DELIVERY_QUEUE = 'room-delivery';

export type AttemptResult =
  | { status: 'sent'; alreadyDelivered: boolean }
  | { status: 'pending'; problem: string; retryAfterMs?: number }
  | { status: 'failed'; reason: string; detail?: string };

interface PendingRow {
  id: string;
  text: string;
  delivery_attempts: number;
  room_id: string;
  rocketchat_room_id: string;
  visitor_id: string;
  token: string;
}

const PENDING_COLUMNS = 'm.id, m.text, m.delivery_attempts, m.room_id, r.rocketchat_room_id, r.visitor_id, v.token';

/**
 * Most messages a single job delivers before handing the room to a fresh job: keeps a job well
 * under the queue's expiry (20 s) even at Rocket.Chat's default timeout (5 s) per message.
 */
const BATCH_PER_JOB = 3;

/**
 * Delivers visitors' messages to Rocket.Chat, exactly once and in order per room. Each message
 * travels with its omnigate id as Rocket.Chat's `_id`, so a repeated attempt cannot create a second
 * message; the client recognises a message Rocket.Chat already holds. One job per room (stately
 * queue keyed by room) walks the room's pending messages oldest first and stops at the first
 * outage, retrying later with capped exponential backoff.
 */
@Injectable()
export class MessageDelivery implements OnModuleInit {
  private readonly logger = new Logger(MessageDelivery.name);
  private readonly attempts;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly rocketchat: RocketChatClient,
    private readonly config: AppConfig,
    private readonly events: EventLog,
    private readonly registration: VisitorRegistration,
    private readonly loss: RoomLoss,
    metrics: MetricsService,
  ) {
    this.attempts = metrics.counter('omnigate_message_delivery_attempts_total', 'Outbound message delivery attempts by result', ['result']);
  }

  async onModuleInit(): Promise<void> {
    await this.jobs.declare({ name: ROOM_DELIVERY_QUEUE, policy: 'stately' });
    await this.jobs.work<{ roomId: string }>(ROOM_DELIVERY_QUEUE, ({ roomId }) => this.deliverRoom(roomId));
  }

  /** Schedules the room's delivery job inside the caller's transaction. */
  async scheduleIn(em: EntityManager, roomId: string, delayMs: number): Promise<void> {
    await this.jobs.enqueueIn(em, ROOM_DELIVERY_QUEUE, { roomId }, { singletonKey: roomId, startAfter: new Date(Date.now() + delayMs) });
  }

  /**
   * The immediate attempt for a new message, in one read: it is skipped (null: the job delivers it,
   * in order) when an older message of the room still waits, since a new one must not overtake it.
   */
  async attemptFirst(messageId: string): Promise<AttemptResult | null> {
    const [row]: Array<PendingRow & { older_pending: boolean; delivery_status: string; delivery_error: string | null }> = await this.dataSource.query(
      `SELECT ${PENDING_COLUMNS}, m.delivery_status, m.delivery_error,
              EXISTS (SELECT 1 FROM messages o WHERE o.room_id = m.room_id AND o.delivery_status = 'pending' AND o.seq < m.seq) AS older_pending
         FROM messages m JOIN rooms r ON r.id = m.room_id JOIN visitors v ON v.id = r.visitor_id
        WHERE m.id = $1`,
      [messageId],
    );
    // settled meanwhile (the webhook confirmed it, or the room was found gone): report what it became
    if (!row || row.delivery_status === 'sent') return { status: 'sent', alreadyDelivered: true };
    if (row.delivery_status === 'failed') return { status: 'failed', reason: row.delivery_error ?? 'unknown' };
    if (row.older_pending) return null;
    const result = await this.send(row);
    await this.record(row.id, result);
    return result;
  }

  /** The job: the room's pending messages, oldest first, until done or Rocket.Chat is away. */
  async deliverRoom(roomId: string): Promise<void> {
    for (let i = 0; i < BATCH_PER_JOB; i++) {
      const [row]: PendingRow[] = await this.dataSource.query(
        `SELECT ${PENDING_COLUMNS}
           FROM messages m JOIN rooms r ON r.id = m.room_id JOIN visitors v ON v.id = r.visitor_id
          WHERE m.room_id = $1 AND m.delivery_status = 'pending'
          ORDER BY m.seq LIMIT 1`,
        [roomId],
      );
      if (!row) return;
      const result = await this.send(row);
      await this.record(row.id, result);
      if (result.status === 'pending') {
        const delay = Math.max(result.retryAfterMs ?? 0, backoffMs(row.delivery_attempts + 1, this.config.delivery.retryBaseMs, this.config.delivery.retryMaxMs));
        await this.jobs.enqueue(ROOM_DELIVERY_QUEUE, { roomId }, { singletonKey: roomId, startAfter: new Date(Date.now() + delay) });
        return;
      }
    }
    await this.jobs.enqueue(ROOM_DELIVERY_QUEUE, { roomId }, { singletonKey: roomId });
  }

  /** One attempt; a visitor Rocket.Chat lost is registered again first (VisitorRegistration). */
  private async send(row: PendingRow): Promise<AttemptResult> {
    try {
      const { alreadyDelivered } = await this.registration.asVisitor({ id: row.visitor_id, token: row.token }, () =>
        this.rocketchat.sendMessage({ token: row.token, rid: row.rocketchat_room_id, id: row.id, text: row.text }),
      );
      this.attempts.inc({ result: 'sent' });
      return { status: 'sent', alreadyDelivered };
    } catch (error) {
      if (error instanceof RocketChatUnavailableError) {
        this.attempts.inc({ result: 'unavailable' });
        return { status: 'pending', problem: error.problem, retryAfterMs: error.retryAfterMs };
      }
      if (error instanceof RocketChatRejectedError) {
        this.attempts.inc({ result: 'refused' });
        return { status: 'failed', reason: error.reason, detail: error.detail };
      }
      throw error;
    }
  }

  /**
   * Records the attempt; a final result (sent / failed) is announced on the room's event stream in
   * the same transaction, under the room's row lock so the room's events keep commit order.
   */
  private async record(messageId: string, result: AttemptResult): Promise<void> {
    if (result.status === 'pending') {
      await this.dataSource.query(
        `UPDATE messages SET delivery_error = $2, delivery_attempts = delivery_attempts + 1 WHERE id = $1 AND delivery_status = 'pending'`,
        [messageId, result.problem],
      );
      return;
    }
    if (result.status === 'failed') this.logger.warn(`message ${messageId} refused by Rocket.Chat: ${result.reason}`);
    const status = result.status;
    const error = result.status === 'failed' ? result.reason : null;
    const gone = result.status === 'failed' && isRoomGone(result.reason) ? result.reason : undefined;
    await this.dataSource.transaction(async (em) => {
      const [room]: Array<{ id: string; visitor_id: string }> = await em.query(
        `SELECT r.id, r.visitor_id FROM rooms r JOIN messages m ON m.room_id = r.id WHERE m.id = $1 FOR UPDATE OF r`,
        [messageId],
      );
      // TypeORM answers an UPDATE with [rows, rowCount]
      const [updated]: [unknown[], number] = await em.query(
        `UPDATE messages SET delivery_status = $2::varchar, delivery_error = $3, delivery_attempts = delivery_attempts + 1,
           delivered_at = CASE WHEN $2::varchar = 'sent' THEN now() ELSE delivered_at END
         WHERE id = $1 AND delivery_status = 'pending' RETURNING id`,
        [messageId, status, error],
      );
      if (room && updated.length) {
        await this.events.append(em, {
          type: 'message.delivery',
          roomId: room.id,
          visitorId: room.visitor_id,
          data: { id: messageId, roomId: room.id, deliveryStatus: status, deliveryError: error },
        });
      }
      // the room is gone in Rocket.Chat: closed here too, its other pending messages failed
      if (room && gone) await this.loss.recordIn(em, room.id, gone);
    });
  }
}
