import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One POST to a subscriber (written by CallbackJobs with SQL; read through this entity). */
@Entity({ name: 'callback_attempts' })
export class CallbackAttemptEntity {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 40 })
  eventType!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 16 })
  outcome!: 'delivered' | 'failed' | 'retrying' | 'gave_up';

  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs!: number;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt!: Date;
}
