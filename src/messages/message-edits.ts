import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { RoomCalls } from '../rooms/room-calls';
import { RoomEntity } from '../rooms/room.entity';
import { RoomLookup } from '../rooms/room-lookup';
import { RoomStore } from '../rooms/room-store';
import { MessageDto } from './dto/message.dto';
import { MessageEntity } from './message.entity';
import { toMessageDto } from './message.mapper';
import { MessageStore } from './message-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A visitor edits its own message (PATCH /v1/rooms/:id/messages/:messageId). A message still
 * pending is edited here before it is delivered: the outbox sends the text it holds, and a
 * delivery that carried the old text is not counted (MessageOutbox.settle) but sent again under
 * the same `_id`, which edits Rocket.Chat's copy (RocketChatClient.sendMessage): still one message.
 * A delivered message is edited in Rocket.Chat first (PUT livechat/message/:_id), then here. The
 * version it replaces stays in the room's history; `message.edited` goes out.
 */
@Injectable()
export class MessageEdits {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lookup: RoomLookup,
    private readonly rooms: RoomStore,
    private readonly store: MessageStore,
    private readonly calls: RoomCalls,
    private readonly rocketchat: RocketChatClient,
  ) {}

  async edit(roomRef: string, messageId: string, text: string): Promise<MessageDto> {
    if (!UUID.test(messageId)) throw new ValidationFailedError([{ field: 'messageId', errors: ["messageId must be omnigate's message id (a UUID)"] }]);
    const { room, visitor } = await this.lookup.find(roomRef);
    const first = await this.dataSource.transaction(async (em) => {
      const { locked, message } = await this.editable(em, room.id, messageId);
      if (message.text === text) return { done: true as const };
      if (message.deliveryStatus !== 'pending') return { done: false as const, message };
      await this.store.applyEdit(em, locked, { id: message.id, rocketchatMessageId: message.rocketchatMessageId, previousText: message.text, text, editedAt: new Date() });
      return { done: true as const };
    });
    if (!first.done) {
      // delivered: Rocket.Chat first (no lock or transaction held across the call), then here
      const edited = await this.calls.run(room, visitor, () =>
        this.rocketchat.editMessage({ token: visitor.token, rid: room.rocketchatRoomId, id: first.message.rocketchatMessageId, text }),
      );
      await this.dataSource.transaction(async (em) => {
        const { locked, message } = await this.editable(em, room.id, messageId, { closedToo: true });
        // the webhook of this edit may have been applied meanwhile
        if (message.text === text) return;
        await this.store.applyEdit(em, locked, {
          id: message.id,
          rocketchatMessageId: message.rocketchatMessageId,
          previousText: message.text,
          text,
          editedAt: edited.editedAt ?? new Date(),
        });
      });
    }
    return toMessageDto(await this.dataSource.getRepository(MessageEntity).findOneByOrFail({ id: messageId }));
  }

  /** The room locked and the message: the visitor's own, in an open room, delivered or pending. */
  private async editable(em: EntityManager, roomId: string, messageId: string, options: { closedToo?: boolean } = {}): Promise<{ locked: RoomEntity; message: MessageEntity }> {
    const locked = await this.rooms.lockById(em, roomId);
    const message = await em.getRepository(MessageEntity).findOne({ where: { id: messageId, roomId }, lock: { mode: 'pessimistic_write' } });
    if (!locked || !message) throw new NotFoundError(`No message ${messageId} in this room`);
    if (message.authorType !== 'visitor') throw new ForbiddenError("Only the visitor's own messages can be edited", { authorType: message.authorType });
    if (locked.status === 'closed' && !options.closedToo) throw new ConflictError('The room is closed: its messages can no longer be edited');
    if (message.deliveryStatus === 'failed') {
      throw new ConflictError('Rocket.Chat refused this message: it was never delivered, so it cannot be edited', { deliveryError: message.deliveryError });
    }
    return { locked, message };
  }
}
