import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RoomEntity } from '../../rooms/room.entity';
import type { RoomPayload } from '../webhook-payload';
import { RoomEventHandler } from './room-event.handler';
import type { HandlerContext } from './webhook-handler';

/**
 * Room info edited on a closed room (tags). The payload has no edit time, so the event is keyed by
 * the delivery's content: a redelivery adds nothing, a different edit is a new event.
 */
@Injectable()
export class LivechatEditHandler extends RoomEventHandler {
  readonly type = 'LivechatEdit';

  protected override async more(em: EntityManager, room: RoomEntity, p: RoomPayload, ctx: HandlerContext): Promise<boolean> {
    return this.applier.lifecycle(em, room, { type: 'edited', occurredAt: ctx.receivedAt, tags: p.tags }, `edited:${p.roomId}:${ctx.contentKey}`);
  }
}
