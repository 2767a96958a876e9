import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { periodOrDefault } from './dto/period';
import { CURSOR_TIME_SQL, decodeTimeCursor, encodeTimeCursor } from './keyset-cursor';
import { MetricsGroupDto, MetricsGrouping, RoomMetricsDto, RoomMetricsPageDto, RoomMetricsQueryDto } from './dto/room-metrics.dto';

interface RoomMetricsRow {
  room_id: string;
  rocketchat_room_id: string;
  status: string;
  department_id: string | null;
  department_name: string | null;
  agent_id: string | null;
  opened_at: Date;
  served_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  wait_seconds: number | null;
  first_response_seconds: number | null;
  handle_seconds: number | null;
  duration_seconds: number | null;
  visitor_messages: number;
  agent_messages: number;
  bot_messages: number;
  system_messages: number;
  transfers: number;
  survey_rating: number | null;
  cursor_at: string;
}

type GroupRow = Record<string, number | string | null>;

const MEASURES = { wait: 'wait_seconds', first_response: 'first_response_seconds', handle: 'handle_seconds' } as const;

const GROUP_KEYS: Record<Exclude<MetricsGrouping, 'room'>, { key: string; label: string }> = {
  day: { key: `to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`, label: 'NULL::text' },
  agent: { key: 'agent_id', label: 'max(COALESCE(agent_name, agent_username))' },
  department: { key: 'department_id', label: 'max(department_name)' },
};

const r3 = (sql: string): string => `round((${sql})::numeric, 3)::float8`;

/** One page of per-room metrics; $3/$4 the cursor when there is one. Served by rooms_by_opened. */
export function roomMetricsPageSql(afterCursor: boolean, limit: number): string {
  return `SELECT *, ${CURSOR_TIME_SQL('opened_at')} AS cursor_at
            FROM room_metrics WHERE opened_at >= $1 AND opened_at < $2
            ${afterCursor ? 'AND (opened_at, room_id) > ($3::timestamptz, $4::uuid)' : ''}
           ORDER BY opened_at, room_id LIMIT ${limit}`;
}

/** Service metrics read from the `room_metrics` view: the API and an analyst's SQL agree by construction. */
@Injectable()
export class RoomMetricsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async metrics(query: RoomMetricsQueryDto): Promise<RoomMetricsPageDto> {
    const groupBy = query.groupBy ?? 'room';
    const period = periodOrDefault(query, new Date());
    const base = { groupBy, from: period.from.toISOString(), to: period.to.toISOString() };
    if (groupBy === 'room') return { ...base, ...(await this.perRoom(period, query.limit ?? 50, query.cursor)) };
    if (query.cursor) throw new ValidationFailedError([{ field: 'cursor', errors: ['cursor applies to groupBy=room only'] }]);
    return { ...base, groups: await this.grouped(period, groupBy), nextCursor: null };
  }

  private async perRoom(period: { from: Date; to: Date }, limit: number, cursor?: string): Promise<Pick<RoomMetricsPageDto, 'rooms' | 'nextCursor'>> {
    const params: unknown[] = [period.from, period.to];
    if (cursor) {
      const c = decodeTimeCursor(cursor);
      params.push(c.t, c.id);
    }
    const rows: RoomMetricsRow[] = await this.dataSource.query(roomMetricsPageSql(Boolean(cursor), limit + 1), params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rooms: page.map(toRoomMetrics), nextCursor: rows.length > limit && last ? encodeTimeCursor({ t: last.cursor_at, id: last.room_id }) : null };
  }

  private async grouped(period: { from: Date; to: Date }, groupBy: Exclude<MetricsGrouping, 'room'>): Promise<MetricsGroupDto[]> {
    const { key, label } = GROUP_KEYS[groupBy];
    const stats = Object.entries(MEASURES).flatMap(([name, column]) => [
      `${r3(`avg(${column})`)} AS ${name}_avg`,
      `${r3(`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column})`)} AS ${name}_p50`,
      `${r3(`percentile_cont(0.9) WITHIN GROUP (ORDER BY ${column})`)} AS ${name}_p90`,
    ]);
    const rows: GroupRow[] = await this.dataSource.query(
      `SELECT ${key} AS key, ${label} AS label,
              count(*)::int AS rooms, count(served_at)::int AS served_rooms, count(closed_at)::int AS closed_rooms,
              ${stats.join(',\n              ')},
              sum(visitor_messages)::int AS visitor_messages, sum(agent_messages)::int AS agent_messages,
              sum(bot_messages)::int AS bot_messages, sum(system_messages)::int AS system_messages,
              sum(transfers)::int AS transfers,
              count(*) FILTER (WHERE closed_by = 'visitor')::int AS closed_by_visitor,
              count(*) FILTER (WHERE closed_by = 'agent')::int AS closed_by_agent,
              count(*) FILTER (WHERE closed_by = 'system')::int AS closed_by_system,
              count(survey_rating)::int AS surveys,
              ${r3('avg(survey_rating)')} AS survey_avg,
              ${r3('(count(*) FILTER (WHERE survey_rating >= 4))::float8 / NULLIF(count(survey_rating), 0)')} AS survey_satisfied
         FROM room_metrics WHERE opened_at >= $1 AND opened_at < $2
        GROUP BY 1 ORDER BY 1 NULLS LAST`,
      [period.from, period.to],
    );
    return rows.map(toGroup);
  }
}

function toRoomMetrics(r: RoomMetricsRow): RoomMetricsDto {
  return {
    roomId: r.room_id,
    rocketchatRoomId: r.rocketchat_room_id,
    status: r.status,
    departmentId: r.department_id,
    departmentName: r.department_name,
    agentId: r.agent_id,
    openedAt: r.opened_at.toISOString(),
    servedAt: r.served_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    closedBy: r.closed_by,
    waitSeconds: r.wait_seconds,
    firstResponseSeconds: r.first_response_seconds,
    handleSeconds: r.handle_seconds,
    durationSeconds: r.duration_seconds,
    messages: { visitor: r.visitor_messages, agent: r.agent_messages, bot: r.bot_messages, system: r.system_messages },
    transfers: r.transfers,
    surveyRating: r.survey_rating,
  };
}

function toGroup(r: GroupRow): MetricsGroupDto {
  const n = (k: string): number => Number(r[k] ?? 0);
  const stat = (name: string) => ({ avg: r[`${name}_avg`] as number | null, p50: r[`${name}_p50`] as number | null, p90: r[`${name}_p90`] as number | null });
  return {
    key: r.key as string | null,
    label: r.label as string | null,
    rooms: n('rooms'),
    servedRooms: n('served_rooms'),
    closedRooms: n('closed_rooms'),
    waitSeconds: stat('wait'),
    firstResponseSeconds: stat('first_response'),
    handleSeconds: stat('handle'),
    messages: { visitor: n('visitor_messages'), agent: n('agent_messages'), bot: n('bot_messages'), system: n('system_messages') },
    transfers: n('transfers'),
    closedBy: { visitor: n('closed_by_visitor'), agent: n('closed_by_agent'), system: n('closed_by_system') },
    csat: { count: n('surveys'), average: r.survey_avg as number | null, satisfiedShare: r.survey_satisfied as number | null },
  };
}
