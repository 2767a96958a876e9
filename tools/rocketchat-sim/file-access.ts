import { authenticate } from './auth';
import type { RequestContext, Reply } from './router';
import type { SimStore } from './store';
import type { ApiUser, StoredFile } from './types';

export interface FileAccess {
  store: SimStore;
  /** FileUpload_ProtectFiles (default on) */
  protectFiles: boolean;
  /** CVE-2026-48616's fix: rc_rid must be the file's own room */
  fileRoomCheck: boolean;
  apiUsers: readonly ApiUser[];
}

function cookies(ctx: RequestContext): Map<string, string> {
  const raw = ctx.headers.cookie ?? '';
  const out = new Map<string, string>();
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

/**
 * file-upload/server/lib/FileUpload.ts `requestCanAccessFiles`: rc_uid, rc_token, rc_rid and
 * rc_room_type come from the query, or from cookies when the query has no rc_uid. Livechat
 * (roomTypes/livechat.ts `canAccessUploadedFile`): `findOneByIdAndVisitorToken(rc_rid, rc_token)`,
 * open or closed. A user login (rc_uid + rc_token, or X-User-Id + X-Auth-Token) also passes.
 */
function canAccess(ctx: RequestContext, file: StoredFile, access: FileAccess): boolean {
  if (!access.protectFiles) return true;
  const jar = cookies(ctx);
  const fromQuery = ctx.query.has('rc_uid');
  const param = (name: string): string | undefined => (fromQuery ? ctx.query.get(name) : (ctx.query.get(name) ?? jar.get(name))) ?? undefined;
  const [uid, token, rid, roomType] = ['rc_uid', 'rc_token', 'rc_rid', 'rc_room_type'].map(param);
  if (uid && token && access.apiUsers.some((u) => u.userId === uid && u.authToken === token)) return true;
  if (authenticate(ctx, access.apiUsers)) return true;
  if (roomType !== 'l' || !token || !rid) return false;
  const room = access.store.rooms.get(rid);
  if (!room || room.v.token !== token) return false;
  return !access.fileRoomCheck || file.rid === rid;
}

/**
 * file-upload/server/lib/requests.ts: an unknown file id is an empty 404, a refused download an
 * empty 403; otherwise the bytes with the stored content type.
 */
export function serveFile(ctx: RequestContext, access: FileAccess): Reply {
  const match = /^\/file-upload\/([^/]+)\//.exec(ctx.path);
  const file = match && ctx.method === 'GET' ? access.store.files.get(match[1]!) : undefined;
  if (!file) return { status: 404, raw: Buffer.alloc(0), contentType: 'text/plain' };
  if (!canAccess(ctx, file, access)) return { status: 403, raw: Buffer.alloc(0), contentType: 'text/plain' };
  return {
    status: 200,
    raw: file.data,
    contentType: file.type,
    headers: { 'Content-Length': String(file.data.length), 'Content-Security-Policy': "default-src 'none'", 'Cache-Control': 'max-age=31536000' },
  };
}
