import { Readable } from 'node:stream';
import { CrlfRecords } from '../../src/transcripts/export/copy-out';

async function through(chunks: string[]): Promise<string> {
  const out: Buffer[] = [];
  for await (const b of Readable.from(chunks.map((c) => Buffer.from(c))).pipe(new CrlfRecords())) out.push(b as Buffer);
  return Buffer.concat(out).toString();
}

describe('CrlfRecords (PostgreSQL CSV to RFC 4180 line ends)', () => {
  // what COPY ... (FORMAT csv) writes: LF record ends; quoted fields with LF, CRLF, "" and commas
  const csv = 'a,"multi\nline",b\n"say ""hi""\nthere",,x\n"crlf\r\ninside","",\nplain,😀,"q""\n"\n';
  const expected = 'a,"multi\nline",b\r\n"say ""hi""\nthere",,x\r\n"crlf\r\ninside","",\r\nplain,😀,"q""\n"\r\n';

  it('ends records with CRLF and leaves line breaks inside quoted fields alone', async () => {
    expect(await through([csv])).toBe(expected);
  });

  it('gives the same result however the bytes are cut into chunks', async () => {
    const bytes = Buffer.from(csv);
    for (let cut = 1; cut < bytes.length; cut++) {
      const out: Buffer[] = [];
      const stream = Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]).pipe(new CrlfRecords());
      for await (const b of stream) out.push(b as Buffer);
      expect({ cut, out: Buffer.concat(out).toString() }).toEqual({ cut, out: expected });
    }
  });
});
