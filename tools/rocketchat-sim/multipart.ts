/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2])!.trim() : undefined;
}

/**
 * A small multipart/form-data parser: enough for one file field plus text fields, as the livechat
 * upload sends them. Splits on the boundary, reads each part's headers, keeps the bytes as they are.
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    const part = parsePart(body.subarray(afterDelimiter, next));
    if (part) parts.push(part);
    start = next;
  }
  return parts;
}

function parsePart(raw: Buffer): FormPart | undefined {
  // raw = CRLF headers CRLF CRLF data CRLF
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd === -1) return undefined;
  const headers = raw.subarray(0, headerEnd).toString('utf8').trim().split('\r\n');
  let data = raw.subarray(headerEnd + 4);
  if (data.subarray(data.length - 2).toString() === '\r\n') data = data.subarray(0, data.length - 2);
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of headers) {
    const [key, ...rest] = line.split(':');
    const value = rest.join(':').trim();
    if (key!.toLowerCase() === 'content-disposition') {
      name = /\bname="([^"]*)"/i.exec(value)?.[1];
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
    } else if (key!.toLowerCase() === 'content-type') {
      contentType = value;
    }
  }
  return name === undefined ? undefined : { name, filename, contentType, data };
}
