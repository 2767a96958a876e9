import { Injectable } from '@nestjs/common';
import { RoomEventHandler } from './room-event.handler';

/**
 * One new message (visitor's or agent's). The hot path: when the room is known, the visitor is not
 * touched and no lifecycle applies, so a delivery costs a lock, an insert and a counter update.
 */
@Injectable()
export class MessageHandler extends RoomEventHandler {
  readonly type = 'Message';
  protected override readonly requireMessage = true;
  protected override readonly visitorPolicy = 'if-new' as const;
}
