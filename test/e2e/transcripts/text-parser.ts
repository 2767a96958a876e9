import type { Response } from 'superagent';

/** A supertest parser keeping the body as text: it knows nothing of ndjson, and csv must stay raw. */
export function asText(res: Response, done: (err: Error | null, body: string) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (body += chunk));
  stream.on('end', () => done(null, body));
}
