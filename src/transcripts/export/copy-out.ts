import { PassThrough, pipeline, Readable, Transform, TransformCallback } from 'node:stream';
import type { Client, Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const QUOTE = 0x22;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');

/**
 * PostgreSQL ends CSV records with LF; RFC 4180 wants CRLF. Rewrites each LF outside a quoted field
 * (an LF inside one is part of the text). PostgreSQL's CSV is well formed, so toggling on every
 * double quote tracks the state exactly, an escaped quote ("") toggling twice.
 */
export class CrlfRecords extends Transform {
  private quoted = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === QUOTE) this.quoted = !this.quoted;
      else if (c === LF && !this.quoted) {
        parts.push(chunk.subarray(start, i), CRLF);
        start = i + 1;
      }
    }
    parts.push(chunk.subarray(start));
    done(null, Buffer.concat(parts));
  }
}

/**
 * `COPY (query) TO STDOUT` on a pooled connection of its own, as a byte stream with backpressure (the
 * connection is read only as fast as the client reads). One statement: one consistent snapshot.
 *
 * Resolves once PostgreSQL has answered (first bytes or the end), so that an unavailable database or
 * a failing query is an error response rather than a truncated file. When the stream stops early
 * (the client hung up), the connection is mid-COPY and cannot be reused: its socket is destroyed,
 * which also ends the backend's COPY, and the pool replaces it.
 */
export async function copyOut(pool: Pool, sql: string, options: { header: string; crlf: boolean }): Promise<Readable> {
  const client: PoolClient = await pool.connect();
  let released = false;
  const release = (broken: boolean): void => {
    if (released) return;
    released = true;
    if (broken) {
      // a destroyed socket makes pg report the connection's end as an error: expected here (the
      // client leaves the pool, so the listener goes with it)
      client.on('error', () => undefined);
      (client as unknown as Client).connection.stream.destroy();
    }
    client.release(broken ? new Error('export stopped before its end') : undefined);
  };
  const source = client.query(copyTo(sql));
  try {
    await new Promise<void>((resolve, reject) => {
      source.once('readable', resolve);
      source.once('error', reject);
    });
  } catch (error) {
    // PostgreSQL refused the statement and said so: the connection is usable again
    source.destroy();
    release(false);
    throw error;
  }
  const out = options.crlf ? new CrlfRecords() : new PassThrough();
  if (options.header) out.push(options.header);
  pipeline(source, out, (error) => release(Boolean(error)));
  return out;
}
