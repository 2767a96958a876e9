import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { IdempotencyService, requestHash } from '../common/idempotency/idempotency.service';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { AttemptResult, MessageDelivery } from '../delivery/message-delivery';
import { RoomEntity } from '../rooms/room.entity';
import { parseRoomRef, RoomLookup } from '../rooms/room-lookup';
import { isRoomGone } from '../rooms/room-loss';
import { MessageDto, MessageListQueryDto, MessagePageDto, SendMessageDto } from './dto/message.dto';
import { MessageEntity, StoredAttachment } from './message.entity';
import { MessageOutbox } from './message-outbox';
import { toMessageDto } from './message.mapper';
import { createdEventData, MessageStore } from './message-store';

/** Thrown inside the transaction when a concurrent request with the same Idempotency-Key won. */
class LostIdempotencyRace extends Error {}

function attachmentsOf(dto: SendMessageDto): StoredAttachment[] {
  return (dto.attachments ?? []).map((a) => ({ kind: 'attachment' as const, url: a.url, title: a.title }));
}

/**
 * What a send came to. The controller answers it (201 sent, 202 pending, 409 refused because
 * Rocket.Chat had closed or lost the room, 422 refused otherwise), the first time and for the
 * repeats of an Idempotency-Key, which stores this outcome.
 */
export type SendOutcome =
  | { result: 'sent' | 'pending'; message: MessageDto }
  | { result: 'refused'; message: MessageDto; reason: string; detail?: string; roomGone: boolean };

function outcomeOf(attempt: AttemptResult, message: MessageDto): SendOutcome {
  if (attempt.status !== 'failed') return { result: attempt.status, message };
  return { result: 'refused', message, reason: attempt.reason, ...(attempt.detail ? { detail: attempt.detail } : {}), roomGone: isRoomGone(attempt.reason) };
}

/** Rocket.Chat's visitor message API takes text only: links travel as markdown after the text. */
function composeText(dto: SendMessageDto): string {
  const links = (dto.attachments ?? []).map((a) => (a.title ? `[${a.title}](${a.url})` : a.url));
  return links.length ? `${dto.text}\n${links.join('\n')}` : dto.text;
}

@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lookup: RoomLookup,
    private readonly store: MessageStore,
    private readonly delivery: MessageDelivery,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: MessageOutbox,
  ) {}

  /**
   * docs/ARCHITECTURE.md, "a message out": the message stored `pending` in ONE statement (it is its
   * own outbox), then an immediate attempt unless an older message of the room still waits.
   * Sent, pending (Rocket.Chat away: the sweeper retries) or refused for good; a room unknown or
   * known closed throws (404, 409) and stores nothing.
   */
  async send(roomRef: string, dto: SendMessageDto, apiKeyId: string, idempotencyKey?: string): Promise<SendOutcome> {
    if (idempotencyKey) return this.sendOnce(roomRef, dto, apiKeyId, idempotencyKey);
    const id = randomUUID();
    const sentAt = new Date();
    const text = composeText(dto);
    const attachments = attachmentsOf(dto);
    // the author's names come from the visitor row: the statement sets them over these
    const created = createdEventData(id, { rocketchatMessageId: id, authorType: 'visitor', text, attachments, sentAt, deliveryStatus: 'pending' });
    const inserted = await this.outbox.insert(parseRoomRef(roomRef), { id, text, attachments, sentAt, leaseSeconds: this.delivery.leaseSeconds }, created);
    if (inserted.outcome === 'no-room') throw new NotFoundError(`No room ${roomRef}`);
    if (inserted.outcome === 'closed') throw new ConflictError('The room is closed');
    const message = Object.assign(new MessageEntity(), {
      id,
      seq: inserted.seq,
      rocketchatMessageId: id,
      roomId: inserted.row.roomId,
      authorType: 'visitor',
      authorId: inserted.author.id,
      authorUsername: inserted.author.username,
      authorName: inserted.author.name,
      text,
      attachments,
      systemType: null,
      sentAt,
      editedAt: null,
      deliveryStatus: 'pending',
      deliveryError: null,
    } satisfies Partial<MessageEntity>);
    if (inserted.olderPending) return { result: 'pending', message: toMessageDto(message) };
    const result = await this.delivery.attempt(inserted.row).catch(
      // committed: whatever failed after (the database going away mid-attempt), the sweeper delivers
      // it. A 5xx here would invite a client to send it twice.
      (): AttemptResult => ({ status: 'pending', problem: 'not recorded' }),
    );
    if (result.status === 'sent') Object.assign(message, { deliveryStatus: 'sent' });
    if (result.status === 'failed') Object.assign(message, { deliveryStatus: 'failed', deliveryError: result.reason });
    return outcomeOf(result, toMessageDto(message));
  }

  /**
   * With an Idempotency-Key: the key is claimed in the message's own transaction, so a repeat gets
   * the first answer and a concurrent twin waits for it.
   */
  private async sendOnce(roomRef: string, dto: SendMessageDto, apiKeyId: string, idempotencyKey: string): Promise<SendOutcome> {
    const { room: found, visitor } = await this.lookup.find(roomRef);
    const route = `POST /v1/rooms/${found.id}/messages`;
    const hash = requestHash(route, dto);
    let message: MessageEntity;
    try {
      const replay = await this.dataSource.transaction(async (em): Promise<SendOutcome | null> => {
        const stored = await this.idempotency.lookup<SendOutcome>(em, apiKeyId, idempotencyKey, hash);
        if (stored) return stored;
        const room = await em.findOne(RoomEntity, { where: { id: found.id }, lock: { mode: 'pessimistic_write' } });
        if (!room) throw new NotFoundError(`No room ${roomRef}`);
        if (room.status === 'closed') throw new ConflictError('The room is closed');
        const id = randomUUID();
        const sentAt = new Date();
        const fields = {
          rocketchatMessageId: id,
          authorType: 'visitor' as const,
          // as the webhook and the transcript name the visitor (Rocket.Chat's `u`)
          authorId: visitor.rocketchatId,
          authorUsername: visitor.username,
          authorName: visitor.name,
          text: composeText(dto),
          attachments: attachmentsOf(dto),
          sentAt,
        };
        // the sweeper's safety net: if this process dies before the attempt below, it delivers it
        await this.store.insertPending(em, room, { id, ...fields, nextAttemptAt: new Date(sentAt.getTime() + this.delivery.leaseSeconds * 1000) });
        message = await em.findOneByOrFail(MessageEntity, { id });
        const claimed = await this.idempotency.claim<SendOutcome>(em, apiKeyId, idempotencyKey, route, hash, { result: 'pending', message: toMessageDto(message) });
        if (!claimed) throw new LostIdempotencyRace();
        return null;
      });
      if (replay) return replay;
    } catch (error) {
      if (!(error instanceof LostIdempotencyRace)) throw error;
      return (await this.dataSource.transaction((em) => this.idempotency.lookup<SendOutcome>(em, apiKeyId, idempotencyKey, hash)))!;
    }

    let outcome: SendOutcome;
    try {
      const pending = await this.outbox.pending(message!.id);
      const result: AttemptResult = !pending
        ? { status: 'pending', problem: 'not found' }
        : pending.status === 'sent'
          ? { status: 'sent', alreadyDelivered: true }
          : pending.status === 'failed'
            ? { status: 'failed', reason: pending.error ?? 'unknown' }
            : pending.olderPending
              ? { status: 'pending', problem: 'an older message waits' }
              : await this.delivery.attempt(pending.row);
      outcome = outcomeOf(result, toMessageDto(await this.dataSource.getRepository(MessageEntity).findOneByOrFail({ id: message!.id })));
    } catch {
      outcome = { result: 'pending', message: toMessageDto(message!) };
    }
    await this.dataSource.transaction((em) => this.idempotency.update(em, apiKeyId, idempotencyKey, outcome)).catch(() => undefined);
    return outcome;
  }

  /** The conversation in order (visitor, agent and system messages); `after` = what is new since. */
  async list(roomRef: string, q: MessageListQueryDto): Promise<MessagePageDto> {
    const { room } = await this.lookup.find(roomRef);
    const limit = q.limit ?? 100;
    const qb = this.dataSource
      .getRepository(MessageEntity)
      .createQueryBuilder('m')
      .where('m.room_id = :roomId', { roomId: room.id })
      .orderBy('m.sent_at', 'ASC')
      .addOrderBy('m.seq', 'ASC')
      .limit(limit + 1);
    if (q.after) {
      const anchor = await this.dataSource.getRepository(MessageEntity).findOneBy({ id: q.after, roomId: room.id });
      if (!anchor) throw new NotFoundError(`No message ${q.after} in this room`);
      qb.andWhere('(m.sent_at, m.seq) > (:t::timestamptz, :s::bigint)', { t: anchor.sentAt.toISOString(), s: anchor.seq });
    }
    if (q.cursor) {
      const c = decodeCursor<{ t: string; s: string }>(q.cursor, { t: 'string', s: 'string' });
      qb.andWhere('(m.sent_at, m.seq) > (:ct::timestamptz, :cs::bigint)', { ct: c.t, cs: c.s });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toMessageDto),
      nextCursor: rows.length > limit && last ? encodeCursor({ t: last.sentAt.toISOString(), s: String(last.seq) }) : null,
    };
  }
}
