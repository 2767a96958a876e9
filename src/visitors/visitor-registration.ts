import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError } from '../common/errors/domain-errors';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { RocketChatRejectedError } from '../rocketchat/rocketchat.errors';
import type { RcVisitorInput } from '../rocketchat/rocketchat.types';
import { VisitorEntity } from './visitor.entity';
import { VisitorStore } from './visitor-store';

/** The part of a visitor a call as that visitor needs. */
export interface VisitorRef {
  id: string;
  token: string;
}

/**
 * The visitor's registration in Rocket.Chat. Rocket.Chat can lose a visitor omnigate still holds
 * (a restore, a reset, an in-memory simulator restarted): then omnigate registers it again from its
 * own record, so the visitor is never stuck.
 */
@Injectable()
export class VisitorRegistration {
  private readonly logger = new Logger(VisitorRegistration.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: VisitorStore,
    private readonly rocketchat: RocketChatClient,
  ) {}

  /**
   * Rocket.Chat first (it is the agents' truth), then the local row from Rocket.Chat's answer.
   * `ignoredCustomFields`: keys Rocket.Chat skipped because it has not defined them for visitors
   * (it drops them silently, CONTRACT-NOTES §15): absent from the visitor it answers.
   */
  async register(input: RcVisitorInput): Promise<{ visitor: VisitorEntity; created: boolean; ignoredCustomFields: string[] }> {
    const rc = await this.rocketchat.registerVisitor(input);
    const ignoredCustomFields = (input.customFields ?? []).map((f) => f.key).filter((key) => !(key in rc.customFields));
    const { visitor, created } = await this.dataSource.transaction((em) =>
      this.store.upsert(em, {
        token: input.token,
        rocketchatId: rc.id,
        username: rc.username || input.username,
        name: rc.name ?? input.name,
        email: rc.emails[0] ?? input.email,
        phone: rc.phones[0] ?? input.phone,
        department: rc.department ?? input.department,
        customFields: rc.customFields,
      }),
    );
    return { visitor, created, ignoredCustomFields };
  }

  /** Registers the visitor again from omnigate's record: name, email, phone, department, custom fields. */
  async reregister(visitorId: string): Promise<void> {
    const v = await this.dataSource.getRepository(VisitorEntity).findOneByOrFail({ id: visitorId });
    if (v.erasedAt) throw new ConflictError('This visitor was erased');
    this.logger.warn(`Rocket.Chat does not know visitor ${v.id}: registering it again from omnigate's record`);
    await this.register({
      token: v.token,
      name: v.name ?? undefined,
      email: v.email ?? undefined,
      phone: v.phone ?? undefined,
      department: v.department ?? undefined,
      username: v.username ?? undefined,
      customFields: Object.entries(v.customFields).map(([key, value]) => ({ key, value, overwrite: true })),
    });
  }

  /**
   * Runs a call made as the visitor. When Rocket.Chat answers that it does not know the token, the
   * visitor is registered again and the call retried once.
   */
  async asVisitor<T>(visitor: VisitorRef, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof RocketChatRejectedError && error.reason === 'invalid-token')) throw error;
      await this.reregister(visitor.id);
      return call();
    }
  }
}
