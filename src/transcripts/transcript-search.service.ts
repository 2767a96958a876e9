import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SearchMatchDto, TranscriptSearchHitDto, TranscriptSearchPageDto, TranscriptSearchQueryDto } from './dto/search.dto';
import { encodeTimeCursor } from './keyset-cursor';
import { GIN_FIRST_MAX_MATCHES, HIGHLIGHT_OPTIONS } from './search-config';
import { SearchLanguage } from './search-language';
import { matchingRoomsSql, SEARCH_MATCHES_SQL, searchRoomsSql } from './transcript-search.sql';

export interface HitRow {
  id: string;
  rocketchat_room_id: string;
  status: string;
  opened_at: Date;
  closed_at: Date | null;
  department_id: string | null;
  department_name: string | null;
  agent_id: string | null;
  agent_username: string | null;
  agent_name: string | null;
  tags: string[];
  message_count: number;
  visitor_id: string;
  visitor_token: string;
  visitor_name: string | null;
  cursor_at: string;
}

export interface MatchRow {
  room_id: string;
  message_id: string;
  sent_at: Date;
  author_type: string;
  author_display_name: string;
  snippet: string;
  match_count: number;
}

/**
 * Search across rooms: filters on rooms, full-text on messages (GIN index `messages_search`), newest
 * room first with a keyset cursor on (opened_at, id): rooms opened after the first page was read sort
 * before the cursor, so later pages neither repeat nor skip anything.
 *
 * Words are searched in two steps because no single plan suits both kinds. The planner cannot tell
 * a rare word (an order number, a name) from a common one it has no statistics for, and walking the
 * rooms newest first in search of a rare word reads every message of the store (seconds on 1M).
 * So step 1 asks the GIN index for at most GIN_FIRST_MAX_MATCHES + 1 matching messages: when they
 * are fewer, their rooms are the whole answer and step 2 filters and sorts just those; when the bound
 * is reached the words are common, and walking the rooms newest first finds a page of matches soon.
 */
@Injectable()
export class TranscriptSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly searchLanguage: SearchLanguage,
  ) {}

  async search(query: TranscriptSearchQueryDto): Promise<TranscriptSearchPageDto> {
    const limit = query.limit ?? 20;
    const language = this.searchLanguage.language;
    let text: { rooms: string[] } | { language: string } | undefined;
    if (query.q) {
      const step1 = matchingRoomsSql(language, query.q);
      const [found]: Array<{ matches: number; rooms: string[] }> = await this.dataSource.query(step1.sql, step1.params);
      if (found!.matches === 0) return { items: [], nextCursor: null };
      text = found!.matches <= GIN_FIRST_MAX_MATCHES ? { rooms: found!.rooms } : { language };
    }
    const { sql, params } = searchRoomsSql(query, limit + 1, text);
    const rows: HitRow[] = await this.dataSource.query(sql, params);
    const page = rows.slice(0, limit);
    const matches = query.q && page.length ? await this.matches(page.map((r) => r.id), language, query.q) : new Map<string, MatchRow[]>();
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toHit(r, matches.get(r.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodeTimeCursor({ t: last.cursor_at, id: last.id }) : null,
    };
  }

  /** The first matching messages of each room, highlighted. */
  private async matches(roomIds: string[], language: string, q: string): Promise<Map<string, MatchRow[]>> {
    const rows: MatchRow[] = await this.dataSource.query(SEARCH_MATCHES_SQL, [roomIds, language, q, HIGHLIGHT_OPTIONS]);
    const byRoom = new Map<string, MatchRow[]>();
    for (const row of rows) byRoom.set(row.room_id, [...(byRoom.get(row.room_id) ?? []), row]);
    return byRoom;
  }
}

function toHit(r: HitRow, matches: MatchRow[]): TranscriptSearchHitDto {
  return {
    roomId: r.id,
    rocketchatRoomId: r.rocketchat_room_id,
    status: r.status,
    openedAt: r.opened_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    departmentId: r.department_id,
    departmentName: r.department_name,
    agent: r.agent_id ? { id: r.agent_id, username: r.agent_username, name: r.agent_name } : null,
    visitor: { id: r.visitor_id, token: r.visitor_token, name: r.visitor_name },
    tags: r.tags,
    messageCount: r.message_count,
    matchCount: matches[0]?.match_count ?? 0,
    matches: matches.map(toMatch),
  };
}

function toMatch(m: MatchRow): SearchMatchDto {
  return { messageId: m.message_id, sentAt: m.sent_at.toISOString(), authorType: m.author_type, authorName: m.author_display_name, snippet: m.snippet };
}
