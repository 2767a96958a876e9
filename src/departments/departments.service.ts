import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RocketChatClient } from '../rocketchat/rocketchat.client';
import { viaRocketChat } from '../rocketchat/rocketchat-error.mapper';
import type { RcDepartment } from '../rocketchat/rocketchat.types';
import { AvailabilityDto, AvailabilityQueryDto, DepartmentDto, DepartmentListDto } from './dto/department.dto';
import { DepartmentEntity } from './department.entity';

/** How long a list read from Rocket.Chat is served without asking again. */
const CACHE_MS = 30_000;

function toDto(d: DepartmentEntity): DepartmentDto {
  return { id: d.id, name: d.name, enabled: d.enabled, showOnRegistration: d.showOnRegistration, showOnOfflineForm: d.showOnOfflineForm };
}

/**
 * Rocket.Chat's departments, with their names: read from the authenticated department list when
 * credentials are set (every department), else from `livechat/config` (enabled ones with an
 * agent), cached briefly and stored, so rooms, transcripts, metrics and the analyst views carry
 * department names.
 */
@Injectable()
export class DepartmentsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DepartmentsService.name);
  private cached: { list: DepartmentListDto; at: number } | undefined;
  private reading: Promise<DepartmentListDto> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rocketchat: RocketChatClient,
  ) {}

  /** Names known from the first minute on; Rocket.Chat being away at start-up only delays them. */
  onApplicationBootstrap(): void {
    void this.list().catch((error: unknown) => this.logger.warn(`departments not read yet: ${error instanceof Error ? error.message : String(error)}`));
  }

  async list(): Promise<DepartmentListDto> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.list;
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** From `livechat/config`, for one department or any: whether to offer the chat or the offline form. */
  async availability(q: AvailabilityQueryDto): Promise<AvailabilityDto> {
    const config = await viaRocketChat(() => this.rocketchat.widgetConfig({ department: q.departmentId }));
    return { online: config.enabled && config.online, departmentId: q.departmentId ?? null, enabled: config.enabled, offlineForm: config.settings.displayOfflineForm !== false };
  }

  private async read(): Promise<DepartmentListDto> {
    const listed = this.rocketchat.hasUserCredentials();
    const departments = await viaRocketChat(async () => (listed ? this.rocketchat.listDepartments() : (await this.rocketchat.widgetConfig()).departments));
    const stored = await this.store(departments, listed);
    const list: DepartmentListDto = { items: stored.map(toDto), source: listed ? 'department-list' : 'widget-config', fetchedAt: new Date().toISOString() };
    this.cached = { list, at: Date.now() };
    return list;
  }

  /**
   * Upserts what Rocket.Chat listed. The widget config lists enabled departments only, so there a
   * department it no longer lists is only marked unlisted; the full list also says which are disabled.
   */
  private async store(departments: RcDepartment[], full: boolean): Promise<DepartmentEntity[]> {
    return this.dataSource.transaction(async (em) => {
      if (departments.length) {
        await em.query(
          `INSERT INTO departments (id, name, enabled, show_on_registration, show_on_offline_form, listed_at)
           SELECT d.id, d.name, d.enabled, d.show_on_registration, d.show_on_offline_form, now()
             FROM jsonb_to_recordset($1::jsonb) AS d(id text, name text, enabled boolean, show_on_registration boolean, show_on_offline_form boolean)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, enabled = EXCLUDED.enabled, show_on_registration = EXCLUDED.show_on_registration,
             show_on_offline_form = EXCLUDED.show_on_offline_form, listed_at = now(), updated_at = now()`,
          [
            JSON.stringify(
              departments.map((d) => ({
                id: d.id.slice(0, 64),
                name: (d.name || d.id).slice(0, 255),
                enabled: d.enabled ?? true,
                show_on_registration: d.showOnRegistration ?? null,
                show_on_offline_form: d.showOnOfflineForm ?? null,
              })),
            ),
          ],
        );
      }
      const ids = departments.map((d) => d.id.slice(0, 64));
      await em.query(`UPDATE departments SET listed_at = NULL, updated_at = now() ${full ? ', enabled = false' : ''} WHERE listed_at IS NOT NULL AND NOT (id = ANY($1))`, [ids]);
      if (!ids.length) return [];
      return em.getRepository(DepartmentEntity).find({ where: ids.map((id) => ({ id })), order: { name: 'ASC' } });
    });
  }
}
