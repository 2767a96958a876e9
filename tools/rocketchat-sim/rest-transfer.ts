import type { SimContext } from './context';
import { bareFailure, plainError } from './errors';
import { transferredRoom } from './payloads';
import { success, type Router } from './router';
import { visitorOf, visitorRoom } from './rest-room';
import { asObject, text } from './validate';

/**
 * A visitor moves their room to another department. Before 8.0 that is `livechat/room.transfer`
 * (room.ts, deprecated since 7.0); 8.0 removed it (PR #36871) for `livechat/visitor/department.transfer`.
 * Only the route of the version played is registered: the other one is an unknown route.
 */
export function addTransferRoutes(router: Router, sim: SimContext): void {
  if (sim.profile.roomTransfer) {
    router.add('POST', 'livechat/room.transfer', async (ctx) => {
      const body = asObject(ctx.body) ?? {};
      const visitor = visitorOf(sim, text(body.token));
      const room = visitorRoom(sim, text(body.rid) ?? '', visitor);
      const by = { _id: visitor._id, username: visitor.username, name: visitor.name, token: visitor.token };
      if (!(await sim.rooms.forwardToDepartment(room, text(body.department) ?? '', by))) throw bareFailure();
      return success({ room: transferredRoom(room) });
    });
  }

  if (sim.profile.departmentTransfer) {
    // `API.v1.failure('code')`: the code as `error`, no errorType. The room need not be the token's:
    // the route looks it up by id alone, and the transfer is done as the room's own visitor.
    router.add('POST', 'livechat/visitor/department.transfer', async (ctx) => {
      const body = asObject(ctx.body) ?? {};
      const token = text(body.token) ?? '';
      if (!sim.store.visitorByToken(token)) throw plainError('invalid-token');
      const room = sim.store.rooms.get(text(body.rid) ?? '');
      if (!room) throw plainError('error-invalid-room');
      if (!room.open) throw plainError('This_conversation_is_already_closed');
      // `error-transefing-chat` (sic) answers a reached MAC limit, which the simulator has none of.
      const guest = sim.store.visitors.get(room.v._id);
      if (!guest) throw plainError('error-invalid-visitor');
      const by = { _id: guest._id, username: guest.username, name: guest.name, token: guest.token };
      if (!(await sim.rooms.forwardToDepartment(room, text(body.department) ?? '', by))) throw plainError('error-transfering-chat');
      return success();
    });
  }
}
