import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MessageOutbox, OutboxRow } from '../messages/message-outbox';
import { MetricsService } from '../metrics/metrics.service';
import { RocketChatRejectedError, RocketChatUnavailableError } from '../rocketchat/rocketchat.errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { isRoomGone, RoomLoss } from '../rooms/room-loss';
import { VisitorRegistration } from '../visitors/visitor-registration';
import { backoffMs } from './backoff';

export type AttemptResult =
  | { status: 'sent'; alreadyDelivered: boolean }
  | { status: 'pending'; problem: string; retryAfterMs?: number }
  | { status: 'failed'; reason: string; detail?: string };

/** Rooms one sweep visits; the next sweep takes the rest. */
const ROOMS_PER_SWEEP = 50;

/**
 * Delivers visitors' messages to Rocket.Chat, exactly once and in order per room. Each message
 * travels with its omnigate id as Rocket.Chat's `_id`, so a repeated attempt cannot create a second
 * message; the client recognises a message Rocket.Chat already holds. The message row is its own
 * outbox (MessageOutbox): the immediate attempt runs in the request; a sweeper takes the pending
 * messages that are due (Rocket.Chat was away, the process died), one room at a time and oldest
 * first, stopping at the first outage and retrying later with capped exponential backoff.
 */
@Injectable()
export class MessageDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessageDelivery.name);
  private readonly attempts;
  private readonly sweepMs: number;
  /** how long a claimed or freshly inserted message is left to its attempt before the sweeper may take it */
  readonly leaseSeconds: number;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly outbox: MessageOutbox,
    private readonly rocketchat: RocketChatClient,
    private readonly config: AppConfig,
    private readonly registration: VisitorRegistration,
    private readonly loss: RoomLoss,
    metrics: MetricsService,
  ) {
    this.attempts = metrics.counter('omnigate_message_delivery_attempts_total', 'Outbound message delivery attempts by result', ['result']);
    this.sweepMs = Math.min(1000, Math.max(50, config.delivery.retryBaseMs));
    // two calls' worth (a send, then the lookup of a lost answer) and the first retry delay
    this.leaseSeconds = (2 * config.rocketchat.timeoutMs + config.delivery.retryBaseMs) / 1000;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping;
  }

  /**
   * The immediate attempt of a new message (the caller checked no older one waits). What it
   * answers is what the row holds: settled meanwhile by another path (the room recorded lost,
   * which fails its pending messages; the sweeper of an instance after a slow attempt's lease),
   * the row's own outcome, not this attempt's.
   */
  async attempt(row: OutboxRow): Promise<AttemptResult> {
    const result = await this.send(row);
    if (await this.record(row, result)) return result;
    const settled = await this.outbox.outcome(row.id);
    if (settled?.status === 'sent') return { status: 'sent', alreadyDelivered: true };
    if (settled?.status === 'failed') return { status: 'failed', reason: settled.error ?? 'unknown' };
    if (settled?.status === 'pending' && result.status === 'sent') {
      // edited while this attempt carried the old text: the sweeper sends it again at once, which
      // finds Rocket.Chat's copy under the same _id and edits it
      await this.outbox.postpone(row.id, 'edited while being delivered', 0);
      return { status: 'pending', problem: 'edited while being delivered' };
    }
    return result;
  }

  /** One pass over the due rooms; a pass still running when the next tick comes is not doubled. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((error: unknown) => this.logger.warn(`delivery sweep failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const rooms = await this.outbox.dueRooms(ROOMS_PER_SWEEP);
    await Promise.all(rooms.map((roomId) => this.deliverRoom(roomId)));
  }

  /** The room's pending messages, oldest first, until done or Rocket.Chat is away. */
  async deliverRoom(roomId: string): Promise<void> {
    for (let continuing = false; !this.stopped; continuing = true) {
      const row = await this.outbox.claimOldest(roomId, this.leaseSeconds, continuing);
      if (!row) return;
      const result = await this.send(row);
      await this.record(row, result);
      if (result.status === 'pending') return;
    }
  }

  /** One attempt; a visitor Rocket.Chat lost is registered again first (VisitorRegistration). */
  private async send(row: OutboxRow): Promise<AttemptResult> {
    try {
      const { alreadyDelivered } = await this.registration.asVisitor({ id: row.visitorId, token: row.token }, () =>
        this.rocketchat.sendMessage({ token: row.token, rid: row.rocketchatRoomId, id: row.id, text: row.text }),
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
      // not Rocket.Chat's answer (an erased visitor, the database): left pending for the sweeper
      this.attempts.inc({ result: 'error' });
      return { status: 'pending', problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * A final result is announced on the room's stream under the room lock (one statement); a room
   * Rocket.Chat closed or lost is recorded closed, its other pending messages failed (RoomLoss).
   * False when the message was no longer pending (settled meanwhile): nothing recorded.
   */
  private async record(row: OutboxRow, result: AttemptResult): Promise<boolean> {
    if (result.status === 'pending') {
      const delay = Math.max(result.retryAfterMs ?? 0, backoffMs(row.attempts + 1, this.config.delivery.retryBaseMs, this.config.delivery.retryMaxMs));
      return this.outbox.postpone(row.id, result.problem, delay / 1000);
    }
    if (result.status === 'failed') this.logger.warn(`message ${row.id} refused by Rocket.Chat: ${result.reason}`);
    const settled = await this.outbox.settle(row, result.status, result.status === 'failed' ? result.reason : null);
    if (result.status === 'failed' && isRoomGone(result.reason)) await this.loss.record(row.roomId, result.reason);
    return settled;
  }
}
