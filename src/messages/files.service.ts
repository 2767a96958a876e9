import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import type { RcDownload, RcMessage } from '../rocketchat/rocketchat.types';
import { RoomCalls } from '../rooms/room-calls';
import { RoomLookup } from '../rooms/room-lookup';
import { RoomStore } from '../rooms/room-store';
import { MessageDto } from './dto/message.dto';
import { MessageEntity, StoredAttachment } from './message.entity';
import { toMessageDto } from './message.mapper';
import { MessageStore } from './message-store';

export interface UploadedFile {
  filename: string;
  contentType: string;
  data: Buffer;
  msg?: string;
  description?: string;
}

export function attachmentsOf(m: RcMessage): StoredAttachment[] {
  return [
    ...m.files.map((f): StoredAttachment => ({ kind: 'file', id: f.id, name: f.name, type: f.type, size: f.size })),
    ...m.attachments.map((a): StoredAttachment => ({ kind: 'attachment', title: a.title, url: a.titleLink, type: a.type, description: a.description })),
  ];
}

/**
 * A visitor's file goes straight to Rocket.Chat's upload endpoint (files are not queued: the bytes
 * are not kept), then the file message Rocket.Chat created is recorded.
 */
@Injectable()
export class FilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lookup: RoomLookup,
    private readonly rooms: RoomStore,
    private readonly messages: MessageStore,
    private readonly rocketchat: RocketChatClient,
    private readonly calls: RoomCalls,
  ) {}

  /**
   * An agent's (or the visitor's) file of this room, streamed from Rocket.Chat as the room's
   * visitor: only files omnigate recorded in this room's messages, so no other room's file can be
   * named (a visitor session reaches its own rooms only: the guard checks it).
   */
  async download(roomRef: string, fileId: string): Promise<{ file: RcDownload; name: string }> {
    const { room, visitor } = await this.lookup.find(roomRef);
    const [stored]: Array<{ name: string | null }> = await this.dataSource.query(
      `SELECT a->>'name' AS name FROM messages m, jsonb_array_elements(m.attachments) a
        WHERE m.room_id = $1 AND a->>'kind' = 'file' AND a->>'id' = $2 LIMIT 1`,
      [room.id, fileId],
    );
    if (!stored) throw new NotFoundError(`No file ${fileId} in this room`);
    const name = stored.name || fileId;
    const file = await this.calls.run(room, visitor, () => this.rocketchat.downloadFile({ fileId, name, rid: room.rocketchatRoomId, token: visitor.token }));
    return { file, name };
  }

  async upload(roomRef: string, file: UploadedFile): Promise<MessageDto> {
    const { room, visitor } = await this.lookup.find(roomRef);
    if (room.status === 'closed') throw new ConflictError('The room is closed');
    const rc = await this.calls.run(room, visitor, () =>
      this.rocketchat.uploadFile({
        rid: room.rocketchatRoomId,
        token: visitor.token,
        file: { filename: file.filename, contentType: file.contentType, data: file.data },
        msg: file.msg,
        description: file.description,
      }),
    );
    const id = await this.dataSource.transaction(async (em) => {
      const locked = (await this.rooms.lockById(em, room.id))!;
      const { id: messageId } = await this.messages.upsert(em, locked, {
        rocketchatMessageId: rc.id,
        authorType: 'visitor',
        authorId: rc.author.id || visitor.rocketchatId,
        authorUsername: rc.author.username || visitor.username,
        authorName: rc.author.name ?? visitor.name,
        text: rc.text,
        attachments: attachmentsOf(rc),
        sentAt: rc.createdAt,
        deliveryStatus: 'sent',
      });
      // the Message webhook may have stored it first (7.10.3 sends it inside the upload call): it is sent all the same
      await this.messages.markSent(em, locked, messageId);
      return messageId;
    });
    return toMessageDto(await this.dataSource.getRepository(MessageEntity).findOneByOrFail({ id }));
  }
}
