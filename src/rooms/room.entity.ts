import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type RoomStatus = 'queued' | 'open' | 'closed';
export type ClosedBy = 'visitor' | 'agent' | 'system';

@Entity({ name: 'rooms' })
export class RoomEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'rocketchat_room_id', type: 'varchar', length: 64 })
  rocketchatRoomId!: string;

  @Column({ name: 'visitor_id', type: 'uuid' })
  visitorId!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: RoomStatus;

  @Column({ name: 'agent_id', type: 'varchar', length: 64, nullable: true })
  agentId!: string | null;

  @Column({ name: 'agent_username', type: 'varchar', length: 100, nullable: true })
  agentUsername!: string | null;

  @Column({ name: 'agent_name', type: 'varchar', length: 255, nullable: true })
  agentName!: string | null;

  @Column({ name: 'department_id', type: 'varchar', length: 64, nullable: true })
  departmentId!: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt!: Date | null;

  @Column({ name: 'served_at', type: 'timestamptz', nullable: true })
  servedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closed_by', type: 'varchar', length: 10, nullable: true })
  closedBy!: ClosedBy | null;

  @Column({ name: 'closer_id', type: 'varchar', length: 64, nullable: true })
  closerId!: string | null;

  @Column({ name: 'closer_username', type: 'varchar', length: 100, nullable: true })
  closerUsername!: string | null;

  @Column({ name: 'close_comment', type: 'text', nullable: true })
  closeComment!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ name: 'last_message_at', type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  @Column({ name: 'message_count', type: 'integer', default: 0 })
  messageCount!: number;

  /** time of the newest lifecycle event applied to this row */
  @Column({ name: 'state_at', type: 'timestamptz' })
  stateAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
