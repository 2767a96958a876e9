import { Injectable } from '@nestjs/common';
import type { LifecycleEvent } from '../../rooms/room-state';
import type { RoomPayload } from '../webhook-payload';
import { queuedEvent } from '../webhook.mapper';
import { RoomEventHandler } from './room-event.handler';
import type { HandlerContext } from './webhook-handler';

/** The room waits for an agent (waiting queue or manual routing). Its time is the room's creation. */
@Injectable()
export class LivechatSessionQueuedHandler extends RoomEventHandler {
  readonly type = 'LivechatSessionQueued';

  protected override lifecycleEvents(p: RoomPayload, ctx: HandlerContext): LifecycleEvent[] {
    return [queuedEvent(p, ctx.receivedAt)];
  }
}
