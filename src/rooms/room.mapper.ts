import { RoomDto, RoomEventDto } from './dto/room.dto';
import { RoomHistoryEntity } from './room-history.entity';
import { RoomEntity } from './room.entity';

export function toRoomDto(room: RoomEntity, visitorToken: string, events?: RoomHistoryEntity[], departmentName: string | null = null): RoomDto {
  const dto: RoomDto = {
    id: room.id,
    rocketchatRoomId: room.rocketchatRoomId,
    visitorToken,
    status: room.status,
    agent: room.agentId ? { id: room.agentId, username: room.agentUsername, name: room.agentName } : null,
    departmentId: room.departmentId,
    departmentName: room.departmentId ? departmentName : null,
    openedAt: room.openedAt.toISOString(),
    servedAt: room.servedAt?.toISOString() ?? null,
    closedAt: room.closedAt?.toISOString() ?? null,
    closedBy: room.closedBy,
    closeComment: room.closeComment,
    tags: room.tags,
    lastMessageAt: room.lastMessageAt?.toISOString() ?? null,
    messageCount: room.messageCount,
  };
  if (events) dto.events = events.map(toRoomEventDto);
  return dto;
}

export function toRoomEventDto(e: RoomHistoryEntity): RoomEventDto {
  return { type: e.type, occurredAt: e.occurredAt.toISOString(), data: e.data };
}
