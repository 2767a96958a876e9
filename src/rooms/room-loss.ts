import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MessageStore } from '../messages/message-store';
import { lifecycleKey, RoomStore } from './room-store';
import type { LifecycleEvent, LostReason } from './room-state';

/** Rocket.Chat's reasons that mean the room is gone there. */
export function isRoomGone(reason: string): reason is LostReason {
  return reason === 'room-closed' || reason === 'invalid-room';
}

/**
 * When Rocket.Chat and omnigate disagree about a room omnigate holds open (Rocket.Chat closed it
 * and the close webhook was lost, or it lost the room), omnigate records the room as closed at
 * once, so the visitor's next POST /v1/rooms opens a new one, and ends its pending messages failed.
 */
@Injectable()
export class RoomLoss {
  private readonly logger = new Logger(RoomLoss.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomStore,
    private readonly messages: MessageStore,
  ) {}

  /** In its own transaction. */
  async record(roomId: string, reason: LostReason): Promise<void> {
    await this.dataSource.transaction((em) => this.recordIn(em, roomId, reason));
  }

  /** Inside the caller's transaction; true when the room was still open here. */
  async recordIn(em: EntityManager, roomId: string, reason: LostReason): Promise<boolean> {
    const room = await this.rooms.lockById(em, roomId);
    if (!room || room.status === 'closed') return false;
    this.logger.warn(`room ${room.id} is ${reason} in Rocket.Chat while open here: recorded as closed`);
    const event: LifecycleEvent = { type: 'closed', occurredAt: new Date(), closedBy: 'system', closer: null, comment: null, lost: reason };
    await this.rooms.apply(em, room, event, lifecycleKey(room.rocketchatRoomId, event));
    await this.messages.failPending(em, room, reason);
    return true;
  }
}
