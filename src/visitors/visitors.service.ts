import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors';
import { RocketChatRejectedError } from '../rocketchat/rocketchat.errors';
import { toApiError, viaRocketChat } from '../rocketchat/rocketchat-error.mapper';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { UpsertVisitorDto, VisitorDto, VisitorListQueryDto, VisitorPageDto } from './dto/visitor.dto';
import { VisitorEntity } from './visitor.entity';
import { MessageStore } from '../messages/message-store';
import { VisitorRegistration } from './visitor-registration';
import { VisitorSessions } from '../sessions/visitor-sessions';

export function toVisitorDto(v: VisitorEntity): VisitorDto {
  return {
    id: v.id,
    token: v.token,
    rocketchatId: v.rocketchatId,
    username: v.username,
    name: v.name,
    email: v.email,
    phone: v.phone,
    department: v.department,
    customFields: v.customFields,
    erasedAt: v.erasedAt?.toISOString() ?? null,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

@Injectable()
export class VisitorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(VisitorEntity) private readonly visitors: Repository<VisitorEntity>,
    private readonly registration: VisitorRegistration,
    private readonly rocketchat: RocketChatClient,
    private readonly messages: MessageStore,
    private readonly sessions: VisitorSessions,
  ) {}

  /** Rocket.Chat first (it is the agents' truth), then the local row from Rocket.Chat's answer. */
  async upsert(dto: UpsertVisitorDto): Promise<{ visitor: VisitorDto; created: boolean }> {
    const { visitor, created, ignoredCustomFields } = await viaRocketChat(() => this.registration.register(dto));
    const warnings = ignoredCustomFields.map((key) => ({ field: `customFields.${key}`, message: `Rocket.Chat has no visitor custom field "${key}": it was not stored` }));
    if (warnings.length) return { visitor: { ...toVisitorDto(visitor), warnings }, created };
    return { visitor: toVisitorDto(visitor), created };
  }

  async get(token: string): Promise<VisitorDto> {
    return toVisitorDto(await this.find(token));
  }

  async find(token: string): Promise<VisitorEntity> {
    const visitor = await this.visitors.findOneBy({ token });
    if (!visitor) throw new NotFoundError(`No visitor with token ${token}`);
    return visitor;
  }

  /** Oldest change first, so a client can poll "what changed since" with updatedSince + cursor. */
  async list(query: VisitorListQueryDto): Promise<VisitorPageDto> {
    const limit = query.limit ?? 50;
    const qb = this.visitors
      .createQueryBuilder('v')
      // the cursor keeps PostgreSQL's microseconds: a JS Date would round them and repeat rows
      .addSelect(`to_char(v.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor_u')
      .orderBy('v.updated_at', 'ASC')
      .addOrderBy('v.id', 'ASC')
      .limit(limit + 1);
    if (query.email) qb.andWhere('lower(v.email) = lower(:email)', { email: query.email });
    if (query.phone) qb.andWhere('v.phone = :phone', { phone: query.phone });
    if (query.updatedSince) qb.andWhere('v.updated_at >= :since', { since: new Date(query.updatedSince) });
    if (query.cursor) {
      const c = decodeCursor<{ u: string; id: string }>(query.cursor, { u: 'string', id: 'string' });
      qb.andWhere('(v.updated_at, v.id) > (:u::timestamptz, :id::uuid)', { u: c.u, id: c.id });
    }
    const { entities, raw } = await qb.getRawAndEntities<{ cursor_u: string }>();
    const page = entities.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toVisitorDto),
      nextCursor: entities.length > limit && last ? encodeCursor({ u: raw[limit - 1]!.cursor_u, id: last.id }) : null,
    };
  }

  /**
   * Removes the visitor in Rocket.Chat (which deletes its rooms and messages there), then erases the
   * personal fields here. Transcripts stay, anonymised: the visitor's messages lose their author name.
   */
  async erase(token: string): Promise<VisitorDto> {
    const visitor = await this.find(token);
    try {
      await this.rocketchat.deleteVisitor(token);
    } catch (error) {
      // already gone in Rocket.Chat: erasing locally is still owed
      if (!(error instanceof RocketChatRejectedError && error.reason === 'invalid-token')) throw toApiError(error);
    }
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `UPDATE visitors SET name = NULL, email = NULL, phone = NULL, username = NULL, custom_fields = '{}'::jsonb,
           erased_at = COALESCE(erased_at, now()), updated_at = now() WHERE id = $1`,
        [visitor.id],
      );
      await this.messages.anonymiseVisitor(em, visitor.id);
      // its page can no longer act for it, and its open streams end
      await this.sessions.revokeVisitor(visitor.id, em);
    });
    return this.get(token);
  }
}
