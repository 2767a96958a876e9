import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MessageStore } from '../../messages/message-store';
import type { RoomEntity } from '../../rooms/room.entity';
import { lifecycleKey, RoomStore } from '../../rooms/room-store';
import type { LifecycleEvent } from '../../rooms/room-state';
import { VisitorStore } from '../../visitors/visitor-store';
import type { RoomPayload } from '../webhook-payload';
import { inboundMessage, newRoomFacts, visitorFacts } from '../webhook.mapper';
import type { HandlerContext } from './webhook-handler';

/** The steps every room event shares: visitor, room, lifecycle, carried messages. */
@Injectable()
export class RoomEventApplier {
  constructor(
    private readonly visitors: VisitorStore,
    private readonly rooms: RoomStore,
    private readonly messages: MessageStore,
  ) {}

  /**
   * The room, locked, created when unseen. `visitor: 'always'` refreshes the visitor's facts; the
   * Message path uses 'if-new' to save round trips (a message says nothing new about the visitor).
   */
  async room(em: EntityManager, p: RoomPayload, ctx: HandlerContext, visitor: 'always' | 'if-new'): Promise<{ room: RoomEntity; created: boolean }> {
    if (visitor === 'if-new') {
      const room = await this.rooms.lockByRocketChatId(em, p.roomId);
      if (room) return { room, created: false };
    }
    const visitorId = visitor === 'always' ? (await this.visitors.upsert(em, visitorFacts(p))).visitor.id : await this.visitors.idForToken(em, visitorFacts(p));
    return this.rooms.ensure(em, newRoomFacts(p, visitorId, ctx.receivedAt));
  }

  /** Applies a lifecycle event once (dedupe key per fact); true when it was new. */
  async lifecycle(em: EntityManager, room: RoomEntity, event: LifecycleEvent, dedupeKey = lifecycleKey(room.rocketchatRoomId, event)): Promise<boolean> {
    return (await this.rooms.apply(em, room, event, dedupeKey)).isNew;
  }

  /** Upserts every message the event carries (the close's transcript backfills lost ones); true when any changed. */
  async carriedMessages(em: EntityManager, room: RoomEntity, p: RoomPayload, ctx: HandlerContext): Promise<boolean> {
    let changed = false;
    for (const m of p.messages) {
      const { outcome } = await this.messages.upsert(em, room, inboundMessage(m, p, ctx.receivedAt));
      if (outcome !== 'unchanged') changed = true;
    }
    return changed;
  }

  appendEvent(em: EntityManager, room: RoomEntity, type: 'lead_captured', data: Record<string, unknown>, occurredAt: Date, dedupeKey: string): Promise<boolean> {
    return this.rooms.appendEvent(em, room, type, data, occurredAt, dedupeKey);
  }
}
