import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RoomEntity } from '../../rooms/room.entity';
import type { LifecycleEvent } from '../../rooms/room-state';
import { JsonObject, parseRoomPayload, RoomPayload } from '../webhook-payload';
import { RoomEventApplier } from './room-event.applier';
import type { HandlerContext, HandlerResult, WebhookHandler } from './webhook-handler';

/**
 * Base of the handlers of events about a room: ensure visitor and room, apply the event's
 * lifecycle facts, upsert the messages it carries (Rocket.Chat sends the transcript so far with
 * every session event, CONTRACT-NOTES §12), then whatever the type adds.
 */
export abstract class RoomEventHandler implements WebhookHandler<RoomPayload> {
  abstract readonly type: string;
  protected readonly requireMessage: boolean = false;
  protected readonly visitorPolicy: 'always' | 'if-new' = 'always';

  // property injection: the documented Nest way for a base class (SWC emits no inherited constructor types)
  @Inject(RoomEventApplier) protected readonly applier!: RoomEventApplier;

  parse(body: JsonObject): RoomPayload {
    return parseRoomPayload(body, this.type, this.requireMessage);
  }

  async handle(em: EntityManager, p: RoomPayload, ctx: HandlerContext): Promise<HandlerResult> {
    const { room, created } = await this.applier.room(em, p, ctx, this.visitorPolicy);
    let changed = created;
    for (const event of this.lifecycleEvents(p, ctx)) {
      if (await this.applier.lifecycle(em, room, event)) changed = true;
    }
    if (await this.applier.carriedMessages(em, room, p, ctx)) changed = true;
    if (await this.more(em, room, p, ctx)) changed = true;
    return { roomId: room.id, changed };
  }

  protected lifecycleEvents(_p: RoomPayload, _ctx: HandlerContext): LifecycleEvent[] {
    return [];
  }

  /** A type's own step after the common ones; true when it changed something. */
  protected async more(_em: EntityManager, _room: RoomEntity, _p: RoomPayload, _ctx: HandlerContext): Promise<boolean> {
    return false;
  }
}
