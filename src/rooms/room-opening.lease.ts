import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { ServiceUnavailableError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';

/** Rocket.Chat calls one opening may make: verify, re-register, register department, open, retry. */
const CALLS_PER_OPENING = 6;
const POLL_MS = 25;

/**
 * One room opening at a time per visitor, across instances, without holding a lock, a transaction
 * or a pool connection while Rocket.Chat is awaited (migrations/*-CreateRoomOpeningLeases.ts).
 * Within an instance, waiters queue on a promise chain; across instances they poll the lease row.
 */
@Injectable()
export class RoomOpeningLease {
  private readonly local = new Map<string, Promise<unknown>>();
  private readonly leaseMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.leaseMs = CALLS_PER_OPENING * config.rocketchat.timeoutMs + 1000;
  }

  run<T>(visitorId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.local.get(visitorId) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.holding(visitorId, work));
    this.local.set(visitorId, mine);
    void mine
      .catch(() => undefined)
      .then(() => {
        if (this.local.get(visitorId) === mine) this.local.delete(visitorId);
      });
    return mine;
  }

  private async holding<T>(visitorId: string, work: () => Promise<T>): Promise<T> {
    const holder = randomUUID();
    await this.acquire(visitorId, holder);
    try {
      return await work();
    } finally {
      await this.dataSource.query('DELETE FROM room_opening_leases WHERE visitor_id = $1 AND holder = $2', [visitorId, holder]).catch(() => undefined);
    }
  }

  private async acquire(visitorId: string, holder: string): Promise<void> {
    const deadline = Date.now() + this.leaseMs;
    for (;;) {
      const taken: unknown[] = await this.dataSource.query(
        `INSERT INTO room_opening_leases AS l (visitor_id, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (visitor_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at WHERE l.expires_at < now()
         RETURNING holder`,
        [visitorId, holder, this.leaseMs / 1000],
      );
      if (taken.length) return;
      if (Date.now() > deadline) throw new ServiceUnavailableError('Another request is opening a room for this visitor; retry in a moment', 1);
      await sleep(POLL_MS);
    }
  }
}
