import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The outcome of the first request carrying an Idempotency-Key, replayed for its repeats. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'api_key_id', type: 'uuid' })
  apiKeyId!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  route!: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  /** what the service returned (for a message: sent, pending or refused, with the message) */
  @Column({ type: 'jsonb' })
  outcome!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
