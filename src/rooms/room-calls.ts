import { Injectable } from '@nestjs/common';
import { ConflictError } from '../common/errors/domain-errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { rocketChatDetails, toApiError } from '../rocketchat/rocketchat-error.mapper';
import { RocketChatRejectedError, RocketChatUnavailableError } from '../rocketchat/rocketchat.errors';
import { VisitorRef, VisitorRegistration } from '../visitors/visitor-registration';
import { isRoomGone, RoomLoss } from './room-loss';

interface RoomRef {
  id: string;
  rocketchatRoomId: string;
}

/**
 * Calls made as the visitor about one of its rooms, healing what Rocket.Chat and omnigate disagree
 * on: a visitor Rocket.Chat does not know is registered again, a room it closed or lost is
 * recorded closed here, so the visitor's next POST /v1/rooms opens a new one.
 */
@Injectable()
export class RoomCalls {
  constructor(
    private readonly rocketchat: RocketChatClient,
    private readonly registration: VisitorRegistration,
    private readonly loss: RoomLoss,
  ) {}

  /** The call's answer; a room gone in Rocket.Chat is answered 409, other refusals and outages as mapped. */
  async run<T>(room: RoomRef, visitor: VisitorRef, call: () => Promise<T>): Promise<T> {
    try {
      return await this.registration.asVisitor(visitor, call);
    } catch (error) {
      if (error instanceof RocketChatRejectedError && isRoomGone(error.reason)) {
        await this.loss.record(room.id, error.reason);
        throw roomGone(error);
      }
      // the upload route answers 403 alike for an unknown visitor, a closed room or another's room
      if (error instanceof RocketChatRejectedError && error.status === 403 && !(await this.stillOpen(room, visitor))) throw roomGone(error);
      throw toApiError(error);
    }
  }

  /**
   * Whether the room omnigate holds open is open in Rocket.Chat too (`GET livechat/room?rid=`
   * answers `invalid-room` otherwise). One it closed or lost is recorded closed; while Rocket.Chat
   * is unavailable the room is taken as it is.
   */
  async stillOpen(room: RoomRef, visitor: VisitorRef): Promise<boolean> {
    try {
      await this.registration.asVisitor(visitor, () => this.rocketchat.openRoom({ token: visitor.token, rid: room.rocketchatRoomId }));
      return true;
    } catch (error) {
      if (error instanceof RocketChatUnavailableError) return true;
      if (error instanceof RocketChatRejectedError && isRoomGone(error.reason)) {
        await this.loss.record(room.id, error.reason);
        return false;
      }
      throw toApiError(error);
    }
  }
}

function roomGone(error: RocketChatRejectedError): ConflictError {
  return new ConflictError('Rocket.Chat had already closed this room, or no longer knows it: it is now recorded as closed', rocketChatDetails(error));
}
