import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryOutcome = 'applied' | 'duplicate' | 'ignored' | 'rejected';

/**
 * Recording deliveries as SQL: `rows` selects (event_type, rocketchat_room_id, dedupe_key,
 * payload, outcome, error). The one definition of a delivery record, run by WebhooksService and
 * inlined by the webhook's one-statement hot path (src/messages/webhook-message.statement.ts).
 */
export function recordReceiptsSql(rows: string): string {
  return `INSERT INTO webhook_receipts (event_type, rocketchat_room_id, dedupe_key, payload, outcome, error) ${rows} RETURNING id`;
}

/** Every authenticated webhook delivery as received: the audit trail and the replay source. */
@Entity({ name: 'webhook_receipts' })
export class WebhookReceiptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ name: 'event_type', type: 'varchar', length: 64, nullable: true })
  eventType!: string | null;

  @Column({ name: 'rocketchat_room_id', type: 'varchar', length: 64, nullable: true })
  rocketchatRoomId!: string | null;

  /** sha256 of the canonical body: equal for redeliveries of the same event */
  @Column({ name: 'dedupe_key', type: 'char', length: 64 })
  dedupeKey!: string;

  @Column({ type: 'jsonb', nullable: true })
  payload!: unknown;

  @Column({ type: 'varchar', length: 16 })
  outcome!: DeliveryOutcome;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
