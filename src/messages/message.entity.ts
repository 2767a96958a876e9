import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuthorType = 'visitor' | 'agent' | 'system' | 'bot';
export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export interface StoredAttachment {
  kind: 'file' | 'attachment';
  id?: string;
  name?: string;
  type?: string;
  size?: number;
  title?: string;
  url?: string;
  description?: string;
}

@Entity({ name: 'messages' })
export class MessageEntity {
  /** omnigate's id; for visitor messages sent through omnigate it is also Rocket.Chat's `_id` */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** insertion order: a stable tiebreaker for equal timestamps and the pagination cursor */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ name: 'rocketchat_message_id', type: 'varchar', length: 64 })
  rocketchatMessageId!: string;

  @Column({ name: 'room_id', type: 'uuid' })
  roomId!: string;

  @Column({ name: 'author_type', type: 'varchar', length: 10 })
  authorType!: AuthorType;

  @Column({ name: 'author_id', type: 'varchar', length: 64, nullable: true })
  authorId!: string | null;

  @Column({ name: 'author_username', type: 'varchar', length: 100, nullable: true })
  authorUsername!: string | null;

  @Column({ name: 'author_name', type: 'varchar', length: 255, nullable: true })
  authorName!: string | null;

  @Column({ type: 'text', default: '' })
  text!: string;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  attachments!: StoredAttachment[];

  @Column({ name: 'system_type', type: 'varchar', length: 64, nullable: true })
  systemType!: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ name: 'delivery_status', type: 'varchar', length: 10, nullable: true })
  deliveryStatus!: DeliveryStatus | null;

  @Column({ name: 'delivery_attempts', type: 'integer', default: 0 })
  deliveryAttempts!: number;

  @Column({ name: 'delivery_error', type: 'text', nullable: true })
  deliveryError!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** deleted by the visitor (the text is kept for audit; the API shows it deleted) */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** a pending message: when the sweeper may try it (MessageOutbox) */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
