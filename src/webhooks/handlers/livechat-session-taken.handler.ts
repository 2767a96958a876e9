import { Injectable } from '@nestjs/common';
import type { LifecycleEvent } from '../../rooms/room-state';
import type { RoomPayload } from '../webhook-payload';
import { takenEvent } from '../webhook.mapper';
import { RoomEventHandler } from './room-event.handler';
import type { HandlerContext } from './webhook-handler';

/** An agent took the room (also fired for automatic assignment). Its time is `servedBy.ts`. */
@Injectable()
export class LivechatSessionTakenHandler extends RoomEventHandler {
  readonly type = 'LivechatSessionTaken';

  protected override lifecycleEvents(p: RoomPayload, ctx: HandlerContext): LifecycleEvent[] {
    const event = takenEvent(p, ctx.receivedAt);
    return event ? [event] : [];
  }
}
