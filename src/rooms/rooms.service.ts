import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Not, Repository } from 'typeorm';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { viaRocketChat } from '../common/errors/rocketchat-error.mapper';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { VisitorEntity } from '../visitors/visitor.entity';
import { CloseRoomDto, OpenRoomDto, RoomDto, RoomListQueryDto, RoomPageDto, TransferRoomDto } from './dto/room.dto';
import { RoomEventEntity } from './room-event.entity';
import { RoomLookup } from './room-lookup.service';
import { toRoomDto } from './room.mapper';
import { RoomEntity } from './room.entity';
import { lifecycleKey, RoomStore } from './room-store';
import { LifecycleEvent } from './room-state';

@Injectable()
export class RoomsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(RoomEventEntity) private readonly events: Repository<RoomEventEntity>,
    private readonly lookup: RoomLookup,
    private readonly store: RoomStore,
    private readonly rocketchat: RocketChatClient,
  ) {}

  /**
   * The visitor's open room, or a new one from Rocket.Chat. Serialised per visitor (advisory lock held
   * across the Rocket.Chat call) so concurrent requests open ONE room.
   */
  async open(dto: OpenRoomDto): Promise<{ room: RoomDto; created: boolean }> {
    return this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`room-open:${dto.visitorToken}`]);
      const visitor = await em.findOneBy(VisitorEntity, { token: dto.visitorToken });
      if (!visitor) throw new NotFoundError(`No visitor with token ${dto.visitorToken}: register it with POST /v1/visitors first`);
      if (visitor.erasedAt) throw new ConflictError('This visitor was erased');
      const open = await em.findOne(RoomEntity, { where: { visitorId: visitor.id, status: Not('closed') }, order: { openedAt: 'DESC' } });
      if (open) return { room: toRoomDto(open, visitor.token), created: false };

      // Rocket.Chat routes a new room by the visitor's department, not by a parameter of this call
      if (dto.departmentId && dto.departmentId !== visitor.department) {
        await viaRocketChat(() => this.rocketchat.registerVisitor({ token: visitor.token, department: dto.departmentId }));
        await em.update(VisitorEntity, { id: visitor.id }, { department: dto.departmentId });
      }
      const { room: rc, newRoom } = await viaRocketChat(() => this.rocketchat.openRoom({ token: visitor.token, agentId: dto.agentId }));
      const { room } = await this.store.ensure(em, {
        rocketchatRoomId: rc.id,
        visitorId: visitor.id,
        openedAt: rc.createdAt,
        departmentId: rc.departmentId ?? dto.departmentId ?? null,
        agent: rc.servedBy ? { id: rc.servedBy.id, username: rc.servedBy.username, since: rc.servedBy.since } : null,
        queuedAt: rc.queuedAt ?? null,
      });
      return { room: toRoomDto(room, visitor.token), created: newRoom };
    });
  }

  async get(id: string): Promise<RoomDto> {
    const { room, visitor } = await this.lookup.find(id);
    const events = await this.events.find({ where: { roomId: room.id }, order: { occurredAt: 'ASC', id: 'ASC' } });
    return toRoomDto(room, visitor.token, events);
  }

  async list(q: RoomListQueryDto): Promise<RoomPageDto> {
    for (const [from, to] of [['openedFrom', 'openedTo'], ['closedFrom', 'closedTo']] as const) {
      if (q[from] && q[to] && new Date(q[from]!) >= new Date(q[to]!)) {
        throw new ValidationFailedError([{ field: from, errors: [`${from} must be before ${to}`] }]);
      }
    }
    const limit = q.limit ?? 50;
    const qb = this.dataSource
      .createQueryBuilder(RoomEntity, 'r')
      .innerJoin(VisitorEntity, 'v', 'v.id = r.visitor_id')
      .addSelect('v.token', 'visitor_token')
      .orderBy('r.opened_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1);
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (q.visitorToken) qb.andWhere('v.token = :token', { token: q.visitorToken });
    if (q.agentId) qb.andWhere('r.agent_id = :agentId', { agentId: q.agentId });
    if (q.departmentId) qb.andWhere('r.department_id = :dep', { dep: q.departmentId });
    if (q.openedFrom) qb.andWhere('r.opened_at >= :of', { of: new Date(q.openedFrom) });
    if (q.openedTo) qb.andWhere('r.opened_at < :ot', { ot: new Date(q.openedTo) });
    if (q.closedFrom) qb.andWhere('r.closed_at >= :cf', { cf: new Date(q.closedFrom) });
    if (q.closedTo) qb.andWhere('r.closed_at < :ct', { ct: new Date(q.closedTo) });
    if (q.cursor) {
      const c = decodeCursor<{ o: string; id: string }>(q.cursor, { o: 'string', id: 'string' });
      qb.andWhere('(r.opened_at, r.id) < (:o::timestamptz, :cid::uuid)', { o: c.o, cid: c.id });
    }
    const { entities, raw } = await qb.getRawAndEntities<{ visitor_token: string }>();
    const page = entities.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((room, i) => toRoomDto(room, raw[i]!.visitor_token)),
      nextCursor: entities.length > limit && last ? encodeCursor({ o: last.openedAt.toISOString(), id: last.id }) : null,
    };
  }

  /** Closes as the visitor in Rocket.Chat; the local room changes only once Rocket.Chat accepted. */
  async close(id: string, dto: CloseRoomDto): Promise<RoomDto> {
    const { room, visitor } = await this.lookup.find(id);
    if (room.status === 'closed') throw new ConflictError('The room is closed');
    const rc = await viaRocketChat(() => this.rocketchat.closeRoom({ rid: room.rocketchatRoomId, token: visitor.token }));
    const event: LifecycleEvent = {
      type: 'closed',
      occurredAt: new Date(),
      closedBy: 'visitor',
      closer: visitor.rocketchatId ? { id: visitor.rocketchatId, username: visitor.username } : null,
      comment: dto.comment ?? rc.comment ?? null,
    };
    return this.applyAccepted(room.id, visitor.token, event);
  }

  /** Transfers to a department in Rocket.Chat; recorded locally once Rocket.Chat accepted. */
  async transfer(id: string, dto: TransferRoomDto): Promise<RoomDto> {
    const { room, visitor } = await this.lookup.find(id);
    if (room.status === 'closed') throw new ConflictError('The room is closed');
    const rc = await viaRocketChat(() =>
      this.rocketchat.transferRoom({ rid: room.rocketchatRoomId, token: visitor.token, department: dto.departmentId }),
    );
    const event: LifecycleEvent = {
      type: 'forwarded',
      occurredAt: new Date(),
      agent: rc.servedBy ? { id: rc.servedBy.id, username: rc.servedBy.username } : null,
      departmentId: rc.departmentId ?? dto.departmentId,
      from: { agent: room.agentId ? { id: room.agentId, username: room.agentUsername } : null, departmentId: room.departmentId },
    };
    return this.applyAccepted(room.id, visitor.token, event);
  }

  private async applyAccepted(roomId: string, visitorToken: string, event: LifecycleEvent): Promise<RoomDto> {
    await this.dataSource.transaction(async (em) => {
      const locked = await this.store.lockById(em, roomId);
      if (locked) await this.store.apply(em, locked, event, lifecycleKey(locked.rocketchatRoomId, event));
    });
    return this.get(roomId);
  }
}
