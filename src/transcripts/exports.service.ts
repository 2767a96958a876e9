import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { ExportFormat, ExportQueryDto } from './dto/export.dto';
import { toPeriod } from './dto/period';
import { csvHeader, csvRows, ExportDefinition, exportSql, MESSAGES_EXPORT, ndjsonRows, ROOMS_EXPORT } from './export/export-columns';
import { CursorStream, ServerCursor } from './export/server-cursor';

export interface ExportFile {
  stream: Readable;
  contentType: string;
  filename: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** Streamed exports for a period: a server-side cursor read batch by batch as the client reads. */
@Injectable()
export class ExportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  messages(query: ExportQueryDto): Promise<ExportFile> {
    return this.export('messages', MESSAGES_EXPORT, query);
  }

  rooms(query: ExportQueryDto): Promise<ExportFile> {
    return this.export('rooms', ROOMS_EXPORT, query);
  }

  private async export(name: string, def: ExportDefinition, query: ExportQueryDto): Promise<ExportFile> {
    const format = query.format ?? 'csv';
    const { from, to } = toPeriod(query);
    const cursor = await ServerCursor.open(this.dataSource, exportSql(def), [from, to]);
    const stream =
      format === 'csv'
        ? new CursorStream(cursor, csvHeader(def), (rows) => csvRows(def, rows))
        : new CursorStream(cursor, '', (rows) => ndjsonRows(def, rows));
    const stamp = (d: Date): string => d.toISOString().replace(/[-:.]/g, '').replace(/000Z$/, 'Z');
    return { stream, contentType: CONTENT_TYPES[format], filename: `omnigate-${name}-${stamp(from)}-${stamp(to)}.${format}` };
  }
}
