import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A Rocket.Chat department as omnigate last read it (migrations/*-CreateDepartments.ts). */
@Entity({ name: 'departments' })
export class DepartmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'show_on_registration', type: 'boolean', nullable: true })
  showOnRegistration!: boolean | null;

  @Column({ name: 'show_on_offline_form', type: 'boolean', nullable: true })
  showOnOfflineForm!: boolean | null;

  /** when Rocket.Chat last listed it; null once it no longer does */
  @Column({ name: 'listed_at', type: 'timestamptz', nullable: true })
  listedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
