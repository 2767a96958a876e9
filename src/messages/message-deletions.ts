import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { RoomCalls } from '../rooms/room-calls';
import { RoomLookup } from '../rooms/room-lookup';
import { RoomStore } from '../rooms/room-store';
import { MessageDto } from './dto/message.dto';
import { MessageEntity } from './message.entity';
import { toMessageDto } from './message.mapper';
import { MessageStore } from './message-store';
import { assertVisitorMayChange, parseMessageId } from './visitor-message';

/**
 * A visitor deletes its own message (DELETE /v1/rooms/:id/messages/:messageId): in Rocket.Chat
 * first (DELETE livechat/message/:_id; no lock or transaction held across the call), then here.
 * The text is kept in PostgreSQL for audit; the API, transcripts and search show the message as
 * deleted, and `message.deleted` goes out. A message still pending is refused (409): its delivery
 * could overtake the deletion; one Rocket.Chat refused was never delivered and is deleted here only.
 * Deleting a deleted message again changes nothing (200).
 */
@Injectable()
export class MessageDeletions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lookup: RoomLookup,
    private readonly rooms: RoomStore,
    private readonly store: MessageStore,
    private readonly calls: RoomCalls,
    private readonly rocketchat: RocketChatClient,
  ) {}

  async delete(roomRef: string, messageId: string): Promise<MessageDto> {
    parseMessageId(messageId);
    const { room, visitor } = await this.lookup.find(roomRef);
    const message = await this.dataSource.getRepository(MessageEntity).findOneBy({ id: messageId, roomId: room.id });
    if (!message) throw new NotFoundError(`No message ${messageId} in this room`);
    if (message.authorType === 'visitor' && message.deletedAt) return toMessageDto(message);
    assertVisitorMayChange(room, message, 'deleted');
    if (message.deliveryStatus === 'pending') throw new ConflictError('The message is still being delivered: delete it once it is sent', { deliveryStatus: 'pending' });
    if (message.deliveryStatus !== 'failed') {
      // false: Rocket.Chat no longer has it (deleted there already): deleted here all the same
      await this.calls.run(room, visitor, () => this.rocketchat.deleteMessage({ token: visitor.token, rid: room.rocketchatRoomId, id: message.rocketchatMessageId }));
    }
    await this.dataSource.transaction(async (em) => {
      const locked = await this.rooms.lockById(em, room.id);
      if (locked) await this.store.applyDeletion(em, locked, { id: message.id, rocketchatMessageId: message.rocketchatMessageId, text: message.text, deletedAt: new Date() });
    });
    return toMessageDto(await this.dataSource.getRepository(MessageEntity).findOneByOrFail({ id: messageId }));
  }
}
