import type { SimContext } from './context';
import { forbidden, meteorError, RestError } from './errors';
import { boundaryOf, parseMultipart } from './multipart';
import { restMessage } from './payloads';
import { success, type Router } from './router';

/** Upload failures other than 403 carry `reason`, not `error` (`API.v1.failure({ reason })`). */
const failure = (reason: string): RestError => new RestError(400, { success: false, reason });

export function addUploadRoutes(router: Router, sim: SimContext): void {
  router.add('POST', 'livechat/upload/:rid', async (ctx) => {
    const tokenHeader = ctx.headers['x-visitor-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    const visitor = token ? sim.store.visitorByToken(token) : undefined;
    if (!visitor) throw forbidden(sim.profile.breakingChanges);
    const room = sim.store.rooms.get(ctx.params.rid!);
    if (!room || !room.open || room.v.token !== visitor.token) throw forbidden(sim.profile.breakingChanges);

    const tooLarge = (): RestError => meteorError('error-file-too-large', `File size exceeds the allowed limit of ${sim.maxUploadBytes} bytes`);
    if (ctx.bodyTruncated) throw tooLarge();
    const boundary = boundaryOf(ctx.headers['content-type']);
    const parts = boundary ? parseMultipart(ctx.rawBody, boundary) : [];
    const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
    if (!file) throw failure('error-no-file-uploaded');
    if (file.data.length > sim.maxUploadBytes) throw tooLarge();
    const field = (name: string): string | undefined => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
    const message = await sim.messages.fromVisitor(room, visitor, {
      msg: field('msg') ?? '',
      file: { name: file.filename || 'file', type: file.contentType || 'application/octet-stream', data: file.data, description: field('description') },
    });
    // The file message itself at top level, not wrapped in `{ message }`.
    return success({ ...restMessage(message), newRoom: false, showConnecting: false });
  });
}
