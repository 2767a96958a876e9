import { Injectable } from '@nestjs/common';
import type { LifecycleEvent } from '../../rooms/room-state';
import type { RoomPayload } from '../webhook-payload';
import { queuedEvent } from '../webhook.mapper';
import { RoomEventHandler } from './room-event.handler';
import type { HandlerContext } from './webhook-handler';

/**
 * A room was created in Rocket.Chat (by omnigate or elsewhere, e.g. the widget). Recorded as waiting
 * since its creation: the same fact the Queued event states, so both share one `queued` event.
 */
@Injectable()
export class LivechatSessionStartHandler extends RoomEventHandler {
  readonly type = 'LivechatSessionStart';

  protected override lifecycleEvents(p: RoomPayload, ctx: HandlerContext): LifecycleEvent[] {
    // dated at the creation whatever the payload carries: the same fact as the first Queued
    return [queuedEvent({ ...p, messages: [] }, ctx.receivedAt)];
  }
}
