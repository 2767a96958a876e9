import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { ROCKETCHAT_ID_PATTERN, UUID_PATTERN } from '../common/http/validators';
import { VisitorEntity } from '../visitors/visitor.entity';
import { RoomEntity } from './room.entity';


export interface RoomWithVisitor {
  room: RoomEntity;
  visitor: VisitorEntity;
}

/** `:id` of a room route: omnigate's uuid or Rocket.Chat's room id; 400 for anything else. */
export function parseRoomRef(idOrRocketChatId: string): { id?: string; rocketchatId?: string } {
  if (UUID_PATTERN.test(idOrRocketChatId)) return { id: idOrRocketChatId.toLowerCase() };
  if (ROCKETCHAT_ID_PATTERN.test(idOrRocketChatId)) return { rocketchatId: idOrRocketChatId };
  throw new ValidationFailedError([{ field: 'id', errors: ['id must be a room UUID or a Rocket.Chat room id'] }]);
}

/** Rooms are addressable by omnigate id (uuid) or by Rocket.Chat room id. */
@Injectable()
export class RoomLookup {
  constructor(
    @InjectRepository(RoomEntity) private readonly rooms: Repository<RoomEntity>,
    @InjectRepository(VisitorEntity) private readonly visitors: Repository<VisitorEntity>,
  ) {}

  async find(idOrRocketChatId: string): Promise<RoomWithVisitor> {
    const ref = parseRoomRef(idOrRocketChatId);
    const room = await this.rooms.findOneBy(ref.id ? { id: ref.id } : { rocketchatRoomId: ref.rocketchatId });
    if (!room) throw new NotFoundError(`No room ${idOrRocketChatId}`);
    const visitor = await this.visitors.findOneByOrFail({ id: room.visitorId });
    return { room, visitor };
  }
}
