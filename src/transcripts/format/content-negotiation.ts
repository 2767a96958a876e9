import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../common/errors/domain-errors';
import { TRANSCRIPT_FORMATS, TranscriptFormat } from '../dto/transcript.dto';

export const CONTENT_TYPES: Record<TranscriptFormat, string> = {
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

const MEDIA_TYPES: Record<string, TranscriptFormat> = {
  'application/json': 'json',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/*': 'json',
  'text/*': 'txt',
  '*/*': 'json',
};

interface MediaRange {
  type: string;
  q: number;
  order: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part, order) => {
      const [type, ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
      const qParam = params.find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { type, q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((r) => r.type && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
}

/**
 * `format=` wins (its values are validated by the DTO: a bad one is a 400); otherwise the Accept
 * header by quality, JSON when absent. An Accept header naming nothing we produce is a 406.
 */
export function negotiateTranscriptFormat(format: TranscriptFormat | undefined, accept: string | undefined): TranscriptFormat {
  if (format) return format;
  if (!accept || !accept.trim()) return 'json';
  for (const range of parseAccept(accept)) {
    const found = MEDIA_TYPES[range.type];
    if (found) return found;
  }
  throw new ApiError(
    HttpStatus.NOT_ACCEPTABLE,
    `Cannot produce ${accept}: a transcript is available as application/json, text/plain, text/csv or application/x-ndjson (or format=${TRANSCRIPT_FORMATS.join('|')})`,
  );
}
