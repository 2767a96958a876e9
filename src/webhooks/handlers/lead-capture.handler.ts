import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RoomEntity } from '../../rooms/room.entity';
import type { RoomPayload } from '../webhook-payload';
import { RoomEventHandler } from './room-event.handler';
import type { HandlerContext } from './webhook-handler';

/**
 * Rocket.Chat found an email or phone in a visitor's message. The visitor upsert (common step)
 * stores them; the room's history records the capture once per value pair.
 */
@Injectable()
export class LeadCaptureHandler extends RoomEventHandler {
  readonly type = 'LeadCapture';

  protected override async more(em: EntityManager, room: RoomEntity, p: RoomPayload, ctx: HandlerContext): Promise<boolean> {
    const email = p.visitor.email ?? null;
    const phone = p.visitor.phone ?? null;
    return this.applier.appendEvent(em, room, 'lead_captured', { email, phone }, ctx.receivedAt, `lead_captured:${p.roomId}:${email ?? ''}:${phone ?? ''}`);
  }
}
