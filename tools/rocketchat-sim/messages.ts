import type { RoomEvents } from './events';
import { randomId } from './ids';
import { ControlError } from './rooms';
import type { SimStore } from './store';
import type { Message, Room, StoredFile, Visitor } from './types';

export interface FileInput {
  name: string;
  type: string;
  data: Buffer;
  description?: string;
}

/** Saving visitor and agent messages, then the Message webhook with the room as it was before. */
export class MessageService {
  constructor(
    private readonly store: SimStore,
    private readonly events: RoomEvents,
  ) {}

  /** The caller has checked token, room and `_id` already (Rocket.Chat's order of errors). */
  async fromVisitor(room: Room, visitor: Visitor, input: { msg: string; _id?: string; file?: FileInput }): Promise<Message> {
    const ts = this.store.clock.now();
    const displayName = visitor.name || visitor.username;
    const message: Message = {
      _id: input._id || randomId(),
      rid: room._id,
      msg: input.msg,
      token: visitor.token,
      alias: displayName,
      ts,
      u: { _id: visitor._id, username: visitor.username, name: displayName },
      _updatedAt: ts,
      ...(input.file ? this.attach(input.file, ts, room._id) : {}),
    };
    await this.save(room, message, true);
    return message;
  }

  async fromAgent(rid: string, input: { text: string; agentUsername?: string; file?: FileInput }): Promise<Message> {
    const room = this.store.rooms.get(rid);
    if (!room) throw new ControlError(`no room ${rid}`);
    if (!room.open) throw new ControlError(`room ${rid} is closed`);
    const username = input.agentUsername ?? room.servedBy?.username;
    if (!username) throw new ControlError(`room ${rid} is queued: take it first or name an agent`);
    const agent = this.store.agents.get(username);
    if (!agent) throw new ControlError(`no agent ${username}`);
    const ts = this.store.clock.now();
    const message: Message = {
      _id: randomId(),
      rid,
      msg: input.text,
      ts,
      u: { _id: agent._id, username: agent.username, name: agent.name },
      _updatedAt: ts,
      ...(input.file ? this.attach(input.file, ts, rid) : {}),
    };
    await this.save(room, message, false);
    return message;
  }

  /**
   * lib/server/functions/updateMessage.ts: sets msg, editedAt and editedBy (Message_KeepHistory,
   * off by default, would keep a hidden copy; not simulated), then afterSaveMessage in a
   * setImmediate: the Message webhook again, with `editedAt`, carrying the room as it is now.
   */
  edit(message: Message, msg: string, by: { _id: string; username: string }): Message {
    const now = this.store.clock.now();
    Object.assign(message, { msg, editedAt: now, editedBy: { _id: by._id, username: by.username }, _updatedAt: now });
    const room = this.store.rooms.get(message.rid);
    if (room) setImmediate(() => void this.events.message(room, message));
    return message;
  }

  /**
   * lib/server/functions/deleteMessage.ts with the defaults (Message_KeepHistory and
   * Message_ShowDeletedStatus off): the message is removed, its files deleted, the room's count
   * decreased. No webhook: sendToCRM has no afterDeleteMessage hook.
   */
  delete(message: Message): void {
    this.store.removeMessage(message._id);
    for (const file of message.files ?? (message.file ? [message.file] : [])) this.store.files.delete(file._id);
    const room = this.store.rooms.get(message.rid);
    if (room) room.msgs = Math.max(0, room.msgs - 1);
  }

  private async save(room: Room, message: Message, byVisitor: boolean): Promise<void> {
    const before: Room = { ...room };
    this.store.addMessage(message);
    room.msgs += 1;
    room.lm = message.ts;
    room.waitingResponse = byVisitor ? true : undefined;
    room._updatedAt = message.ts;
    await this.events.message(before, message);
  }

  /** Rocket.Chat's file message: `file`, `files` and one attachment whose title_link serves the bytes. */
  private attach(input: FileInput, ts: Date, rid: string): Pick<Message, 'file' | 'files' | 'attachments'> {
    const stored: StoredFile = { _id: randomId(), name: input.name, type: input.type, size: input.data.length, data: input.data, description: input.description, rid };
    this.store.files.set(stored._id, stored);
    const file = { _id: stored._id, name: stored.name, type: stored.type, size: stored.size };
    const link = `/file-upload/${stored._id}/${encodeURIComponent(stored.name)}`;
    const attachment: Record<string, unknown> = {
      ts,
      title: stored.name,
      title_link: link,
      title_link_download: true,
      type: 'file',
      description: stored.description,
      size: stored.size,
      format: stored.name.includes('.') ? stored.name.split('.').pop()!.toUpperCase() : undefined,
    };
    if (stored.type.startsWith('image/')) Object.assign(attachment, { image_url: link, image_type: stored.type, image_size: stored.size });
    return { file, files: [{ ...file }], attachments: [attachment] };
  }
}
