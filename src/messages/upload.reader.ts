import '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ApiError, ValidationFailedError } from '../common/errors/domain-errors';
import type { UploadedFile } from './files.service';

const FIELD_MAX = 1000;

/** Reads the one file of a multipart request (field `file`) and its optional text fields. */
export async function readUpload(req: FastifyRequest): Promise<UploadedFile> {
  if (!req.isMultipart()) {
    throw new ApiError(415, 'Send the file as multipart/form-data with a field named file');
  }
  let part;
  try {
    part = await req.file();
  } catch (error) {
    throw asUploadError(error);
  }
  if (!part || part.fieldname !== 'file') {
    throw new ValidationFailedError([{ field: 'file', errors: ['file is required (multipart field "file")'] }]);
  }
  let data: Buffer;
  try {
    data = await part.toBuffer();
  } catch (error) {
    throw asUploadError(error);
  }
  const text = (name: string): string | undefined => {
    const field = part.fields[name];
    const value = field && !Array.isArray(field) && 'value' in field ? field.value : undefined;
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length > FIELD_MAX) {
      throw new ValidationFailedError([{ field: name, errors: [`${name} must be text of at most ${FIELD_MAX} characters (sent before the file)`] }]);
    }
    return value;
  };
  return {
    filename: part.filename || 'file',
    contentType: part.mimetype || 'application/octet-stream',
    data,
    msg: text('msg'),
    description: text('description'),
  };
}

function asUploadError(error: unknown): unknown {
  const e = error as { statusCode?: number; message?: string; code?: string };
  if (e?.statusCode === 413 || e?.code === 'FST_REQ_FILE_TOO_LARGE') return new ApiError(413, 'The file is larger than UPLOAD_LIMIT_BYTES');
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new ApiError(e.statusCode, e.message ?? 'Bad multipart body');
  return error;
}
