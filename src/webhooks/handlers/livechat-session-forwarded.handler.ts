import { Injectable } from '@nestjs/common';
import type { LifecycleEvent } from '../../rooms/room-state';
import type { RoomPayload } from '../webhook-payload';
import { forwardedEvent } from '../webhook.mapper';
import { RoomEventHandler } from './room-event.handler';
import type { HandlerContext } from './webhook-handler';

/**
 * Forwarded to another agent (`oldServedBy`) or department (`oldDepartmentId`). Its time is the new
 * agent's `servedBy.ts`, or the receipt time when the room went back to a queue.
 */
@Injectable()
export class LivechatSessionForwardedHandler extends RoomEventHandler {
  readonly type = 'LivechatSessionForwarded';

  protected override lifecycleEvents(p: RoomPayload, ctx: HandlerContext): LifecycleEvent[] {
    return [forwardedEvent(p, ctx.receivedAt)];
  }
}
