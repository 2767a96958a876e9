import { Injectable } from '@nestjs/common';
import type { LifecycleEvent } from '../../rooms/room-state';
import type { RoomPayload } from '../webhook-payload';
import { closedEvent } from '../webhook.mapper';
import { RoomEventHandler } from './room-event.handler';
import type { HandlerContext } from './webhook-handler';

/**
 * The close (`LivechatSession`). It carries the whole visible transcript, closing message included:
 * any message whose own webhook was lost is backfilled here.
 */
@Injectable()
export class LivechatSessionHandler extends RoomEventHandler {
  readonly type = 'LivechatSession';

  protected override lifecycleEvents(p: RoomPayload, ctx: HandlerContext): LifecycleEvent[] {
    return [closedEvent(p, ctx.receivedAt)];
  }
}
