import type { SimContext } from './context';
import { plainError } from './errors';
import { restRoom } from './payloads';
import { success, type Router } from './router';
import type { Room, Visitor } from './types';
import { asObject, checkString, queryObject, text } from './validate';

/** Rocket.Chat's `findRoom`/`findOneByIdAndVisitorToken`: the visitor's room by id, open or closed. */
export function visitorRoom(sim: SimContext, rid: string, visitor: Visitor): Room {
  const room = sim.store.rooms.get(rid);
  if (!room || room.v.token !== visitor.token) throw plainError('invalid-room');
  return room;
}

export function visitorOf(sim: SimContext, token: string | undefined): Visitor {
  const visitor = token ? sim.store.visitorByToken(token) : undefined;
  if (!visitor) throw plainError('invalid-token');
  return visitor;
}

export function addRoomRoutes(router: Router, sim: SimContext): void {
  router.add('GET', 'livechat/room', async (ctx) => {
    // check(queryParams, { token: String, rid: Match.Maybe(String), agentId: Match.Maybe(String) }): other keys are refused.
    const query = queryObject(ctx.query);
    const unknown = Object.keys(query).find((k) => !['token', 'rid', 'agentId'].includes(k));
    if (unknown) throw plainError(`Match error: Unknown key in field ${unknown}`);
    const token = checkString(query, 'token', undefined, true);
    const visitor = visitorOf(sim, token);
    const rid = ctx.query.get('rid');
    if (rid) {
      const room = sim.store.rooms.get(rid);
      if (!room || !room.open || room.v.token !== visitor.token) throw plainError('invalid-room');
      return success({ room: restRoom(room), newRoom: false });
    }
    const existing = sim.store.openRoomOf(visitor.token);
    if (existing) return success({ room: restRoom(existing), newRoom: false });
    const room = await sim.rooms.open(visitor, ctx.query.get('agentId') ?? undefined);
    return success({ room: restRoom(room), newRoom: true });
  });

  router.add('POST', 'livechat/room.close', (ctx) => {
    const body = asObject(ctx.body) ?? {};
    const visitor = visitorOf(sim, text(body.token));
    const room = visitorRoom(sim, text(body.rid) ?? '', visitor);
    if (!room.open) throw plainError('room-closed');
    const { comment } = sim.rooms.close(room, { by: 'visitor' });
    return success({ rid: room._id, comment });
  });
}
