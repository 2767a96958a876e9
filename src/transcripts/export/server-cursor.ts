import { Readable } from 'node:stream';
import type { DataSource, QueryRunner } from 'typeorm';

export type Row = Record<string, unknown>;

/**
 * A PostgreSQL server-side cursor (DECLARE ... CURSOR + FETCH n) in a read-only REPEATABLE READ
 * transaction on a connection of its own: memory holds one batch whatever the result size, and the
 * whole export is one consistent snapshot. (pg-query-stream is not a dependency; TypeORM's
 * `queryRunner.stream()` needs it.)
 */
export class ServerCursor {
  private closed = false;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly batchSize: number,
  ) {}

  /** Opens the cursor now, so a bad query or an unavailable database fails before any byte is sent. */
  static async open(dataSource: DataSource, sql: string, params: unknown[], batchSize = 1000): Promise<ServerCursor> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const cursor = new ServerCursor(runner, batchSize);
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      // an export reads every row: plan for total time, not for the first 10% (the cursor default,
      // which picks fast-start nested loops that crawl on a large period)
      await runner.query('SET LOCAL cursor_tuple_fraction = 1.0');
      await runner.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, params);
    } catch (error) {
      await cursor.close();
      throw error;
    }
    return cursor;
  }

  async fetch(): Promise<Row[]> {
    return this.runner.query(`FETCH FORWARD ${this.batchSize} FROM export_rows`);
  }

  /** Ends the transaction and returns the connection to the pool; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.runner.isTransactionActive) await this.runner.rollbackTransaction();
    } finally {
      await this.runner.release();
    }
  }
}

/**
 * A byte stream over a cursor: `_read` fetches the next batch only when the consumer (the socket,
 * through Fastify) asks for more, which is the backpressure; a client hanging up destroys the
 * stream, which closes the cursor.
 */
export class CursorStream extends Readable {
  constructor(
    private readonly cursor: ServerCursor,
    header: string,
    private readonly encode: (rows: Row[]) => string,
  ) {
    super({ highWaterMark: 64 * 1024 });
    if (header) this.push(header);
  }

  override _read(): void {
    this.cursor.fetch().then(
      (rows) => {
        if (this.destroyed) return;
        if (rows.length === 0) return void this.push(null);
        this.push(this.encode(rows));
      },
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.cursor.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }
}
