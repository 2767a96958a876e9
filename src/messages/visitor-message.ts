import { ConflictError, ForbiddenError, ValidationFailedError } from '../common/errors/domain-errors';
import { UUID_PATTERN } from '../common/http/validators';
import type { RoomEntity } from '../rooms/room.entity';
import type { MessageEntity } from './message.entity';

/** `:messageId` of a message route: omnigate's message id (a UUID), else 400. */
export function parseMessageId(messageId: string): string {
  if (!UUID_PATTERN.test(messageId)) throw new ValidationFailedError([{ field: 'messageId', errors: ["messageId must be omnigate's message id (a UUID)"] }]);
  return messageId;
}

/**
 * What an edit and a deletion both require: the visitor's own message (403 for an agent's or a
 * system message) in a room still open here (409), unless `closedToo` (the second half of a
 * change Rocket.Chat already made).
 */
export function assertVisitorMayChange(room: RoomEntity, message: MessageEntity, change: 'edited' | 'deleted', options: { closedToo?: boolean } = {}): void {
  if (message.authorType !== 'visitor') throw new ForbiddenError(`Only the visitor's own messages can be ${change}`, { authorType: message.authorType });
  if (room.status === 'closed' && !options.closedToo) throw new ConflictError(`The room is closed: its messages can no longer be ${change}`);
}
