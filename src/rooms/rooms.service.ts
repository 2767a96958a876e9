import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Not, Repository } from 'typeorm';
import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '../common/errors/domain-errors';
import { viaRocketChat } from '../rocketchat/rocketchat-error.mapper';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import type { WarningDto } from '../common/http/warning.dto';
import { VisitorRegistration } from '../visitors/visitor-registration';
import { VisitorEntity } from '../visitors/visitor.entity';
import { CloseRoomDto, OpenRoomDto, RoomDto, RoomListQueryDto, RoomPageDto, TransferRoomDto } from './dto/room.dto';
import { RoomHistoryEntity } from './room-history.entity';
import { RoomLookup } from './room-lookup';
import { MessageStore } from '../messages/message-store';
import { RoomCalls } from './room-calls';
import { RoomOpeningLease } from './room-opening.lease';
import { toRoomDto } from './room.mapper';
import { RoomEntity } from './room.entity';
import { lifecycleKey, RoomStore } from './room-store';
import { LifecycleEvent } from './room-state';

/** A uuid derived from the room: the one message id a room's close comment can have. */
function closeCommentId(roomId: string): string {
  const h = createHash('sha256').update(`close-comment:${roomId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function withWarnings(room: RoomDto, warnings: WarningDto[]): RoomDto {
  return warnings.length ? { ...room, warnings } : room;
}

/** Rocket.Chat ignores an `agentId` it cannot route to (unknown, offline) and routes as usual (CONTRACT-NOTES §15). */
function agentNotHonoured(dto: OpenRoomDto, servedById: string | undefined, servedBy: string | undefined): WarningDto[] {
  if (!dto.agentId || dto.agentId === servedById) return [];
  const outcome = servedBy ? `routed it to ${servedBy}` : 'queued it';
  return [{ field: 'agentId', message: `Rocket.Chat did not route the room to agent ${dto.agentId} (unknown or not available): it ${outcome}` }];
}

/** The visitor already had an open room: what the request asked for a new one was not used. */
function unusedForOpenRoom(dto: OpenRoomDto, open: RoomEntity): WarningDto[] {
  const out: WarningDto[] = [];
  if (dto.departmentId && dto.departmentId !== open.departmentId) {
    out.push({ field: 'departmentId', message: `the visitor already has an open room in department ${open.departmentId ?? '(none)'}: transfer it with POST /v1/rooms/${open.id}/transfer` });
  }
  if (dto.agentId && dto.agentId !== open.agentId) out.push({ field: 'agentId', message: 'the visitor already has an open room: agentId applies to a new room only' });
  return out;
}

@Injectable()
export class RoomsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(RoomHistoryEntity) private readonly events: Repository<RoomHistoryEntity>,
    private readonly lookup: RoomLookup,
    private readonly store: RoomStore,
    private readonly rocketchat: RocketChatClient,
    private readonly registration: VisitorRegistration,
    private readonly lease: RoomOpeningLease,
    private readonly calls: RoomCalls,
    private readonly messages: MessageStore,
  ) {}

  /**
   * The visitor's open room, or a new one from Rocket.Chat. Serialised per visitor by a lease, so
   * concurrent requests open ONE room, while nothing the webhook needs is held during the
   * Rocket.Chat calls (7.10.3 and older await their Start webhook inside `GET livechat/room`).
   * An open room is checked with Rocket.Chat first: one it closed or lost is recorded closed here
   * and a new one is opened, so the visitor is never stuck.
   */
  async open(dto: OpenRoomDto): Promise<{ room: RoomDto; created: boolean }> {
    const visitor = await this.dataSource.getRepository(VisitorEntity).findOneBy({ token: dto.visitorToken });
    if (!visitor) throw new NotFoundError(`No visitor with token ${dto.visitorToken}: register it with POST /v1/visitors first`);
    if (visitor.erasedAt) throw new ConflictError('This visitor was erased');
    return this.lease.run(visitor.id, async () => {
      const open = await this.dataSource.getRepository(RoomEntity).findOne({ where: { visitorId: visitor.id, status: Not('closed') }, order: { openedAt: 'DESC' } });
      if (open && (await this.calls.stillOpen(open, visitor))) {
        const room = toRoomDto(open, visitor.token, undefined, await this.departmentName(open.departmentId));
        return { room: withWarnings(room, unusedForOpenRoom(dto, open)), created: false };
      }

      // Rocket.Chat routes a new room by the visitor's department, not by a parameter of this call
      const current = await this.dataSource.getRepository(VisitorEntity).findOneByOrFail({ id: visitor.id });
      if (dto.departmentId && dto.departmentId !== current.department) {
        await viaRocketChat(() => this.registration.asVisitor(visitor, () => this.rocketchat.registerVisitor({ token: visitor.token, department: dto.departmentId })));
        await this.dataSource.getRepository(VisitorEntity).update({ id: visitor.id }, { department: dto.departmentId });
      }
      const { room: rc, newRoom } = await viaRocketChat(() => this.registration.asVisitor(visitor, () => this.rocketchat.openRoom({ token: visitor.token, agentId: dto.agentId })));
      const room = await this.dataSource.transaction(
        async (em) =>
          (
            await this.store.ensure(em, {
              rocketchatRoomId: rc.id,
              visitorId: visitor.id,
              openedAt: rc.createdAt,
              departmentId: rc.departmentId ?? dto.departmentId ?? null,
              agent: rc.servedBy ? { id: rc.servedBy.id, username: rc.servedBy.username, since: rc.servedBy.since } : null,
              queuedAt: rc.queuedAt ?? null,
            })
          ).room,
      );
      const answer = toRoomDto(room, visitor.token, undefined, await this.departmentName(room.departmentId));
      return { room: withWarnings(answer, newRoom ? agentNotHonoured(dto, rc.servedBy?.id, rc.servedBy?.username) : unusedForOpenRoom(dto, room)), created: newRoom };
    });
  }

  async get(id: string): Promise<RoomDto> {
    const { room, visitor } = await this.lookup.find(id);
    const events = await this.events.find({ where: { roomId: room.id }, order: { occurredAt: 'ASC', id: 'ASC' } });
    return toRoomDto(room, visitor.token, events, await this.departmentName(room.departmentId));
  }

  private async departmentName(id: string | null): Promise<string | null> {
    if (!id) return null;
    const [row]: Array<{ name: string }> = await this.dataSource.query('SELECT name FROM departments WHERE id = $1', [id]);
    return row?.name ?? null;
  }

  async list(q: RoomListQueryDto): Promise<RoomPageDto> {
    const limit = q.limit ?? 50;
    const qb = this.dataSource
      .createQueryBuilder(RoomEntity, 'r')
      .innerJoin(VisitorEntity, 'v', 'v.id = r.visitor_id')
      .addSelect('v.token', 'visitor_token')
      .leftJoin('departments', 'd', 'd.id = r.department_id')
      .addSelect('d.name', 'department_name')
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
    const { entities, raw } = await qb.getRawAndEntities<{ visitor_token: string; department_name: string | null }>();
    const page = entities.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((room, i) => toRoomDto(room, raw[i]!.visitor_token, undefined, raw[i]!.department_name)),
      nextCursor: entities.length > limit && last ? encodeCursor({ o: last.openedAt.toISOString(), id: last.id }) : null,
    };
  }

  /** Closes as the visitor in Rocket.Chat; the local room changes only once Rocket.Chat accepted. */
  async close(id: string, dto: CloseRoomDto): Promise<RoomDto> {
    const { room, visitor } = await this.lookup.find(id);
    if (room.status === 'closed') throw new ConflictError('The room is closed');
    if (dto.comment) await this.deliverCloseComment(room, visitor, dto.comment);
    const rc = await this.calls.run(room, visitor, () => this.rocketchat.closeRoom({ rid: room.rocketchatRoomId, token: visitor.token }));
    const event: LifecycleEvent = {
      type: 'closed',
      occurredAt: new Date(),
      closedBy: 'visitor',
      closer: visitor.rocketchatId ? { id: visitor.rocketchatId, username: visitor.username } : null,
      comment: dto.comment ?? rc.comment ?? null,
    };
    return this.applyAccepted(room.id, visitor.token, event);
  }

  /**
   * Rocket.Chat's visitor close takes no comment, so the agents would never read it: it goes
   * first, as the visitor's last message, and is stored like one. Its id is derived from the room,
   * so a close retried after a failure finds it delivered instead of sending it twice.
   */
  private async deliverCloseComment(room: RoomEntity, visitor: VisitorEntity, comment: string): Promise<void> {
    const id = closeCommentId(room.id);
    const { message } = await this.calls.run(room, visitor, () => this.rocketchat.sendMessage({ token: visitor.token, rid: room.rocketchatRoomId, id, text: comment }));
    await this.dataSource.transaction(async (em) => {
      const locked = await this.store.lockById(em, room.id);
      if (!locked) return;
      await this.messages.recordDelivered(em, locked, {
        id,
        authorType: 'visitor',
        authorId: visitor.rocketchatId,
        authorUsername: visitor.username,
        authorName: visitor.name,
        text: comment,
        attachments: [],
        sentAt: message.createdAt,
      });
    });
  }

  /** Transfers to a department in Rocket.Chat; recorded locally once Rocket.Chat accepted. */
  async transfer(id: string, dto: TransferRoomDto): Promise<RoomDto> {
    if ((dto.departmentId === undefined) === (dto.agentId === undefined)) {
      throw new ValidationFailedError([{ field: 'body', errors: ['give exactly one of departmentId and agentId'] }]);
    }
    if (dto.agentId !== undefined && !this.rocketchat.hasCredentials()) {
      throw new UnprocessableError('A transfer to an agent needs a Rocket.Chat user: set ROCKETCHAT_USER_ID and ROCKETCHAT_AUTH_TOKEN (view-l-room, transfer-livechat-guest)', {
        reason: 'credentials-missing',
      });
    }
    const { room, visitor } = await this.lookup.find(id);
    if (room.status === 'closed') throw new ConflictError('The room is closed');
    if (dto.agentId !== undefined) return this.forwardToAgent(room, visitor, dto.agentId);
    const departmentId = dto.departmentId!;
    const rc = await this.calls.run(room, visitor, () =>
      this.rocketchat.transferRoom({ rid: room.rocketchatRoomId, token: visitor.token, department: departmentId }),
    );
    // the same fact as the Forwarded webhook it causes (same dedupe key); the previous agent comes from omnigate's history
    const event: LifecycleEvent = {
      type: 'forwarded',
      occurredAt: rc.servedBy?.since ?? new Date(),
      to: 'department',
      agent: rc.servedBy ? { id: rc.servedBy.id, username: rc.servedBy.username } : null,
      departmentId: rc.departmentId ?? departmentId,
      from: { agent: null, departmentId: room.departmentId },
    };
    return this.applyAccepted(room.id, visitor.token, event);
  }

  /** `livechat/room.forward` to one agent, as the configured Rocket.Chat user. */
  private async forwardToAgent(room: RoomEntity, visitor: VisitorEntity, agentId: string): Promise<RoomDto> {
    const rc = await this.calls.run(room, visitor, () => this.rocketchat.forwardToAgent({ rid: room.rocketchatRoomId, token: visitor.token, agentId }));
    // the same fact as the Forwarded webhook it causes (Rocket.Chat names the agent who served before)
    const event: LifecycleEvent = {
      type: 'forwarded',
      occurredAt: rc.servedBy?.since ?? new Date(),
      to: 'agent',
      agent: rc.servedBy ? { id: rc.servedBy.id, username: rc.servedBy.username } : { id: agentId, username: null },
      departmentId: rc.departmentId ?? room.departmentId,
      from: { agent: room.agentId ? { id: room.agentId, username: room.agentUsername, name: room.agentName } : null, departmentId: room.departmentId },
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
