import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { RoomCalls } from '../rooms/room-calls';
import { RoomEntity } from '../rooms/room.entity';
import { RoomLookup } from '../rooms/room-lookup';
import { RoomStore } from '../rooms/room-store';
import { MessageDto } from './dto/message.dto';
import { MessageEntity } from './message.entity';
import { toMessageDto } from './message.mapper';
import { MessageStore } from './message-store';
import { assertVisitorMayChange, parseMessageId } from './visitor-message';

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
    parseMessageId(messageId);
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

  /** The room locked and the message: the visitor's own, in an open room, delivered or pending, not deleted. */
  private async editable(em: EntityManager, roomId: string, messageId: string, options: { closedToo?: boolean } = {}): Promise<{ locked: RoomEntity; message: MessageEntity }> {
    const locked = await this.rooms.lockById(em, roomId);
    const message = await em.getRepository(MessageEntity).findOne({ where: { id: messageId, roomId }, lock: { mode: 'pessimistic_write' } });
    if (!locked || !message) throw new NotFoundError(`No message ${messageId} in this room`);
    assertVisitorMayChange(locked, message, 'edited', options);
    if (message.deletedAt) throw new ConflictError('The visitor deleted this message: it cannot be edited', { deletedAt: message.deletedAt.toISOString() });
    if (message.deliveryStatus === 'failed') {
      throw new ConflictError('Rocket.Chat refused this message: it was never delivered, so it cannot be edited', { deliveryError: message.deliveryError });
    }
    return { locked, message };
  }
}
