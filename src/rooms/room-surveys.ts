import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError } from '../common/errors/domain-errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { SubmitSurveyDto, SurveyDto } from './dto/survey.dto';
import { RoomCalls } from './room-calls';
import { RoomLookup } from './room-lookup';

/** A claim older than this is taken to be one a dead process left. */
const CLAIM_SECONDS = 30;

/** Rocket.Chat's survey item names (`settings().survey`, CONTRACT-NOTES §14.5), values as strings. */
function surveyItems(dto: SubmitSurveyDto): Array<{ name: string; value: string }> {
  const items = [
    ['satisfaction', dto.rating],
    ['agentKnowledge', dto.agentKnowledge],
    ['agentResposiveness', dto.agentResponsiveness],
    ['agentFriendliness', dto.agentFriendliness],
    ['additionalFeedback', dto.comment],
  ] as const;
  return items.filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => ({ name, value: String(value) }));
}

interface SurveyRow {
  room_id: string;
  rating: number;
  comment: string | null;
  agent_knowledge: number | null;
  agent_responsiveness: number | null;
  agent_friendliness: number | null;
  submitted_at: Date;
}

/**
 * The visitor's satisfaction survey, once per room, open or closed (POST /v1/rooms/:id/survey).
 * The room is claimed first (a `sending` row, in a statement of its own: no lock is held while
 * Rocket.Chat answers), then the survey goes through `livechat/room.survey` as the visitor, then
 * the row is `recorded`. A refusal or an outage gives the claim back; a second survey gets 409.
 */
@Injectable()
export class RoomSurveys {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lookup: RoomLookup,
    private readonly calls: RoomCalls,
    private readonly rocketchat: RocketChatClient,
  ) {}

  async submit(roomRef: string, dto: SubmitSurveyDto): Promise<SurveyDto> {
    const { room, visitor } = await this.lookup.find(roomRef);
    const values = [room.id, dto.rating, dto.comment ?? null, dto.agentKnowledge ?? null, dto.agentResponsiveness ?? null, dto.agentFriendliness ?? null];
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO room_surveys (room_id, state, rating, comment, agent_knowledge, agent_responsiveness, agent_friendliness)
       VALUES ($1, 'sending', $2, $3, $4, $5, $6)
       ON CONFLICT (room_id) DO UPDATE SET state = 'sending', rating = EXCLUDED.rating, comment = EXCLUDED.comment,
              agent_knowledge = EXCLUDED.agent_knowledge, agent_responsiveness = EXCLUDED.agent_responsiveness,
              agent_friendliness = EXCLUDED.agent_friendliness, claimed_at = now()
        WHERE room_surveys.state = 'sending' AND room_surveys.claimed_at < now() - make_interval(secs => ${CLAIM_SECONDS})
       RETURNING room_id`,
      values,
    );
    if (!claimed.length) throw new ConflictError('This room already has a survey (one per room)');
    try {
      await this.calls.run(room, visitor, () => this.rocketchat.surveyRoom({ rid: room.rocketchatRoomId, token: visitor.token, data: surveyItems(dto) }));
    } catch (error) {
      await this.dataSource.query(`DELETE FROM room_surveys WHERE room_id = $1 AND state = 'sending'`, [room.id]);
      throw error;
    }
    // TypeORM answers an UPDATE with [rows, rowCount]
    const [[row]]: [SurveyRow[], number] = await this.dataSource.query(
      `UPDATE room_surveys SET state = 'recorded', submitted_at = now() WHERE room_id = $1
       RETURNING room_id, rating, comment, agent_knowledge, agent_responsiveness, agent_friendliness, submitted_at`,
      [room.id],
    );
    return toSurveyDto(row!);
  }
}

function toSurveyDto(r: SurveyRow): SurveyDto {
  return {
    roomId: r.room_id,
    rating: r.rating,
    ...(r.comment !== null ? { comment: r.comment } : {}),
    ...(r.agent_knowledge !== null ? { agentKnowledge: r.agent_knowledge } : {}),
    ...(r.agent_responsiveness !== null ? { agentResponsiveness: r.agent_responsiveness } : {}),
    ...(r.agent_friendliness !== null ? { agentFriendliness: r.agent_friendliness } : {}),
    submittedAt: r.submitted_at.toISOString(),
  };
}
