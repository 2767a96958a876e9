import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { ROCKETCHAT_ID_PATTERN } from '../common/http/validators';
import { VisitorEntity } from '../visitors/visitor.entity';
import { RoomEntity } from './room.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RoomWithVisitor {
  room: RoomEntity;
  visitor: VisitorEntity;
}

/** Rooms are addressable by omnigate id (uuid) or by Rocket.Chat room id. */
@Injectable()
export class RoomLookup {
  constructor(
    @InjectRepository(RoomEntity) private readonly rooms: Repository<RoomEntity>,
    @InjectRepository(VisitorEntity) private readonly visitors: Repository<VisitorEntity>,
  ) {}

  async find(idOrRocketChatId: string): Promise<RoomWithVisitor> {
    const where = UUID.test(idOrRocketChatId)
      ? { id: idOrRocketChatId.toLowerCase() }
      : ROCKETCHAT_ID_PATTERN.test(idOrRocketChatId)
        ? { rocketchatRoomId: idOrRocketChatId }
        : null;
    if (!where) throw new ValidationFailedError([{ field: 'id', errors: ['id must be a room UUID or a Rocket.Chat room id'] }]);
    const room = await this.rooms.findOneBy(where);
    if (!room) throw new NotFoundError(`No room ${idOrRocketChatId}`);
    const visitor = await this.visitors.findOneByOrFail({ id: room.visitorId });
    return { room, visitor };
  }
}
