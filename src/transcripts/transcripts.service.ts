import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { ROCKETCHAT_ID_PATTERN } from '../common/http/validators';
import { TranscriptDto } from './dto/transcript.dto';
import { agentsInvolved, EventRow, LineRow, RoomRow, toEventDto, toMessageDto, toRoomDto, toVisitorDto } from './transcript.mapper';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ROOM_SQL = `
  SELECT r.id, r.rocketchat_room_id, r.status, r.department_id, r.agent_id, r.agent_username, r.agent_name,
         r.opened_at, r.served_at, r.closed_at, r.closed_by, r.close_comment, r.tags,
         v.id AS visitor_id, v.token AS visitor_token, v.name AS visitor_name, v.erased_at AS visitor_erased_at
    FROM rooms r JOIN visitors v ON v.id = r.visitor_id`;

/** A room's messages in conversation order; served by messages_by_room_time (room_id, sent_at, seq). */
export const TRANSCRIPT_LINES_SQL = `
  SELECT message_id, rocketchat_message_id, author_type, author_id, author_username, author_display_name,
         text, system_type, attachments, sent_at, edited_at
    FROM transcript_lines WHERE room_id = $1 ORDER BY sent_at, seq`;

/** One room's transcript, read from the `transcript_lines` view (the analysts' definition). */
@Injectable()
export class TranscriptsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `roomId`: omnigate's uuid or Rocket.Chat's room id. */
  async get(roomId: string): Promise<TranscriptDto> {
    const byUuid = UUID.test(roomId);
    if (!byUuid && !ROCKETCHAT_ID_PATTERN.test(roomId)) {
      throw new ValidationFailedError([{ field: 'roomId', errors: ['roomId must be a UUID or a Rocket.Chat room id'] }]);
    }
    // one snapshot: the room, its history and its messages agree even while webhooks land
    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      await em.query('SET TRANSACTION READ ONLY');
      const [room]: RoomRow[] = byUuid
        ? await em.query(`${ROOM_SQL} WHERE r.id = $1::uuid OR r.rocketchat_room_id = $2`, [roomId, roomId])
        : await em.query(`${ROOM_SQL} WHERE r.rocketchat_room_id = $1`, [roomId]);
      if (!room) throw new NotFoundError(`No room ${roomId}`);
      const events: EventRow[] = await em.query(
        `SELECT type, occurred_at, data FROM room_events WHERE room_id = $1 ORDER BY occurred_at, id`,
        [room.id],
      );
      const lines: LineRow[] = await em.query(TRANSCRIPT_LINES_SQL, [room.id]);
      return {
        room: toRoomDto(room),
        visitor: toVisitorDto(room),
        agents: agentsInvolved(room, events, lines),
        events: events.map(toEventDto),
        messages: lines.map(toMessageDto),
      };
    });
  }
}
