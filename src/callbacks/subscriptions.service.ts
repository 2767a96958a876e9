import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { NotFoundError, ValidationFailedError } from '../common/errors/domain-errors';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { CallbackAttemptEntity } from './callback-attempt.entity';
import { CALLBACK_OPTIONS, CallbackOptions } from './callback-options';
import { CreateSubscriptionDto, DeliveriesQueryDto, DeliveryPageDto, SubscriptionDto } from './dto/subscription.dto';
import { refusedUrlReason } from './network-policy';
import { SubscriptionEntity } from './subscription.entity';
import { toDeliveryAttemptDto, toSubscriptionDto } from './subscription.mapper';

@Injectable()
export class SubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(SubscriptionEntity) private readonly subscriptions: Repository<SubscriptionEntity>,
    @InjectRepository(CallbackAttemptEntity) private readonly attempts: Repository<CallbackAttemptEntity>,
    @Inject(CALLBACK_OPTIONS) private readonly options: CallbackOptions,
  ) {}

  /** Receives the events logged from now on, none from before. */
  async create(dto: CreateSubscriptionDto): Promise<SubscriptionDto> {
    const refused = this.options.allowPrivateNetworks ? null : refusedUrlReason(dto.url);
    if (refused) {
      throw new ValidationFailedError([{ field: 'url', errors: [`url must reach a public address: ${refused} (CALLBACK_ALLOW_PRIVATE_NETWORKS=true allows it)`] }]);
    }
    const [{ max }]: Array<{ max: string }> = await this.dataSource.query(`SELECT coalesce(max(id), 0)::text AS max FROM live_events`);
    const saved = await this.subscriptions.save(
      this.subscriptions.create({ url: dto.url, events: dto.events, secret: dto.secret, afterEventId: max, consecutiveFailures: 0, disabledAt: null, disabledReason: null }),
    );
    return toSubscriptionDto(saved);
  }

  async list(): Promise<SubscriptionDto[]> {
    const rows = await this.subscriptions.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toSubscriptionDto);
  }

  async get(id: string): Promise<SubscriptionDto> {
    return toSubscriptionDto(await this.find(id));
  }

  /** Jobs still queued for it find nothing to deliver to; its attempts go with it. */
  async remove(id: string): Promise<void> {
    const result = await this.subscriptions.delete({ id });
    if (!result.affected) throw this.notFound(id);
  }

  async deliveries(id: string, query: DeliveriesQueryDto): Promise<DeliveryPageDto> {
    await this.find(id);
    const limit = query.limit ?? 50;
    const qb = this.attempts.createQueryBuilder('a').where('a.subscription_id = :id', { id }).orderBy('a.id', 'DESC').limit(limit + 1);
    if (query.cursor) {
      const { id: before } = decodeCursor<{ id: string }>(query.cursor, { id: 'string' });
      if (!/^\d{1,19}$/.test(before)) throw new ValidationFailedError([{ field: 'cursor', errors: ['cursor is not a cursor returned by this API'] }]);
      qb.andWhere('a.id < :before', { before });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(toDeliveryAttemptDto),
      nextCursor: rows.length > limit ? encodeCursor({ id: page[page.length - 1]!.id }) : null,
    };
  }

  private async find(id: string): Promise<SubscriptionEntity> {
    const found = await this.subscriptions.findOneBy({ id });
    if (!found) throw this.notFound(id);
    return found;
  }

  private notFound(id: string): NotFoundError {
    return new NotFoundError(`Subscription ${id} not found`);
  }
}
