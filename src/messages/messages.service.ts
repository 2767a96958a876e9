import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { errorBody } from '../common/errors/http-exception.filter';
import { IdempotencyService, requestHash, StoredAnswer } from '../common/idempotency/idempotency.service';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { AppConfig } from '../config/app-config';
import { MessageDelivery } from '../delivery/message-delivery.service';
import { RoomEntity } from '../rooms/room.entity';
import { RoomLookup } from '../rooms/room-lookup.service';
import { isRoomGone } from '../rooms/room-loss.service';
import { MessageListQueryDto, MessagePageDto, SendMessageDto } from './dto/message.dto';
import { MessageEntity } from './message.entity';
import { toMessageDto } from './message.mapper';
import { MessageStore } from './message-store';

/** Thrown inside the transaction when a concurrent request with the same Idempotency-Key won. */
class LostIdempotencyRace extends Error {}

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
    private readonly config: AppConfig,
  ) {}

  /**
   * The message and its delivery job in ONE transaction, then an immediate attempt (docs/ARCHITECTURE.md, "a message out").
   * 201 sent, 202 pending (Rocket.Chat away: the job retries), 409/422 failed (refused for good).
   * The answer is returned (not thrown) so that an Idempotency-Key replays it exactly.
   */
  async send(roomRef: string, dto: SendMessageDto, apiKeyId: string, idempotencyKey?: string): Promise<StoredAnswer> {
    const { room: found, visitor } = await this.lookup.find(roomRef);
    const route = `POST /v1/rooms/${found.id}/messages`;
    const hash = requestHash(route, dto);
    let message: MessageEntity;
    try {
      const replay = await this.dataSource.transaction(async (em): Promise<StoredAnswer | null> => {
        if (idempotencyKey) {
          const stored = await this.idempotency.lookup(em, apiKeyId, idempotencyKey, hash);
          if (stored) return stored;
        }
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
          attachments: (dto.attachments ?? []).map((a) => ({ kind: 'attachment' as const, url: a.url, title: a.title })),
          sentAt,
          deliveryStatus: 'pending' as const,
        };
        await em.insert(MessageEntity, { id, roomId: room.id, ...fields });
        await this.store.countInRoom(em, room, sentAt);
        await this.store.announce(em, room, id, fields);
        // the safety net: if this process dies before the attempt below, the job delivers it
        await this.delivery.scheduleIn(em, room.id, this.config.delivery.retryBaseMs);
        message = await em.findOneByOrFail(MessageEntity, { id });
        if (idempotencyKey) {
          const claimed = await this.idempotency.claim(em, apiKeyId, idempotencyKey, route, hash, { status: 202, body: toMessageDto(message) });
          if (!claimed) throw new LostIdempotencyRace();
        }
        return null;
      });
      if (replay) return replay;
    } catch (error) {
      if (!(error instanceof LostIdempotencyRace)) throw error;
      return (await this.dataSource.transaction((em) => this.idempotency.lookup(em, apiKeyId, idempotencyKey!, hash)))!;
    }

    let answer: StoredAnswer;
    try {
      answer = await this.deliverNow(message!);
    } catch {
      // The message is committed with its job: whatever failed after (the database going away
      // mid-attempt), the job delivers it. A 5xx here would invite a client to send it twice.
      answer = { status: HttpStatus.ACCEPTED, body: toMessageDto(message!) };
    }
    if (idempotencyKey) {
      await this.dataSource.transaction((em) => this.idempotency.update(em, apiKeyId, idempotencyKey, answer)).catch(() => undefined);
    }
    return answer;
  }

  /** The immediate attempt, unless an older message of the room still waits (order per room). */
  private async deliverNow(message: MessageEntity): Promise<StoredAnswer> {
    const result = await this.delivery.attemptFirst(message.id);
    const current = toMessageDto(await this.dataSource.getRepository(MessageEntity).findOneByOrFail({ id: message.id }));
    if (!result || result.status === 'pending') return { status: HttpStatus.ACCEPTED, body: current };
    if (result.status === 'sent') return { status: HttpStatus.CREATED, body: current };
    // a room Rocket.Chat closed or lost is recorded closed by now (RoomLoss): the next POST /v1/rooms opens a new one
    const gone = isRoomGone(result.reason);
    const status = gone ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_ENTITY;
    const text = gone ? `Rocket.Chat refused the message: ${result.reason}; the room is now recorded as closed` : `Rocket.Chat refused the message: ${result.reason}`;
    return {
      status,
      body: errorBody(status, text, {
        message: current,
        rocketchat: { reason: result.reason, ...(result.detail ? { detail: result.detail } : {}) },
      }),
    };
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
