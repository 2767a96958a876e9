import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ExportFormat, ExportQueryDto } from './dto/export.dto';
import { OpenPeriod, openPeriod } from './dto/period';
import { copyOut } from './export/copy-out';
import { csvHeader, ExportDefinition, exportCopySql, MESSAGES_EXPORT, ROOMS_EXPORT } from './export/export-columns';

export interface ExportFile {
  stream: Readable;
  contentType: string;
  filename: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * Streamed exports for a period, or of everything when it has no bounds: PostgreSQL formats the rows (COPY ... TO STDOUT) and the bytes flow
 * to the client as it reads them, in constant memory.
 */
@Injectable()
export class ExportsService {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    // the pg pool under TypeORM: COPY streams need a raw pg connection
    this.pool = (dataSource.driver as PostgresDriver).master as Pool;
  }

  messages(query: ExportQueryDto): Promise<ExportFile> {
    return this.export('messages', MESSAGES_EXPORT, query);
  }

  rooms(query: ExportQueryDto): Promise<ExportFile> {
    return this.export('rooms', ROOMS_EXPORT, query);
  }

  private async export(name: string, def: ExportDefinition, query: ExportQueryDto): Promise<ExportFile> {
    const format = query.format ?? 'csv';
    const period = openPeriod(query);
    const stream = await copyOut(this.pool, exportCopySql(def, format, period), {
      header: format === 'csv' ? csvHeader(def) : '',
      crlf: format === 'csv',
    });
    return { stream, contentType: CONTENT_TYPES[format], filename: `omnigate-${name}-${periodName(period)}.${format}` };
  }
}

/** `20261101T000000Z-20261201T000000Z`, `since-…`, `until-…`, or `all` for a whole export. */
function periodName({ from, to }: OpenPeriod): string {
  const stamp = (d: Date): string => d.toISOString().replace(/[-:.]/g, '').replace(/000Z$/, 'Z');
  if (from && to) return `${stamp(from)}-${stamp(to)}`;
  if (from) return `since-${stamp(from)}`;
  if (to) return `until-${stamp(to)}`;
  return 'all';
}
