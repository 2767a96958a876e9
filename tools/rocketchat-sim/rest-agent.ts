import { requirePermissions } from './auth';
import type { SimContext } from './context';
import { plainError } from './errors';
import { success, type RequestContext, type Router } from './router';
import type { ApiUser, StoredDepartment } from './types';
import { asObject, text } from './validate';

function userOf(ctx: RequestContext): ApiUser {
  if (!ctx.apiUser) throw new Error('authenticated route reached without a user');
  return ctx.apiUser;
}

/** A department document as `GET livechat/department` lists it (ILivechatDepartment). */
export function restDepartment(sim: SimContext, d: StoredDepartment): Record<string, unknown> {
  return {
    _id: d._id,
    name: d.name,
    enabled: d.enabled,
    description: '',
    showOnRegistration: d.showOnRegistration,
    showOnOfflineForm: d.showOnOfflineForm,
    email: '',
    type: 'd',
    numAgents: sim.store.agentsOf(d._id).length,
  };
}

/** The authenticated (agent/integration side) routes a gateway may call. */
export function addAgentRoutes(router: Router, sim: SimContext): void {
  // api/v1/room.ts livechat/room.forward: authRequired, permissions view-l-room and transfer-livechat-guest
  router.add('POST', 'livechat/room.forward', async (ctx) => {
    const user = userOf(ctx);
    requirePermissions(user, ['view-l-room', 'transfer-livechat-guest'], 'all', sim.profile);
    const body = asObject(ctx.body) ?? {};
    const room = sim.store.rooms.get(text(body.roomId) ?? '');
    if (!room) throw plainError('error-invalid-room');
    if (!room.open) throw plainError('This_conversation_is_already_closed');
    const guest = sim.store.visitors.get(room.v._id);
    if (!guest) throw plainError('error-invalid-visitor');
    const departmentId = text(body.departmentId);
    const userId = text(body.userId);
    const by = { _id: user.userId, username: user.username ?? user.userId };
    if (departmentId) {
      // lib/transfer.ts: an unknown department is a plain Error('error-invalid-department')
      if (!sim.store.departments.has(departmentId)) throw plainError('error-invalid-department');
      if (!(await sim.rooms.forwardToDepartment(room, departmentId, by))) throw plainError('error-forwarding-chat');
      return success();
    }
    // neither target: transfer() returns false
    if (!userId) throw plainError('error-forwarding-chat');
    // lib/Helper.ts forwardRoomToAgent: Users.findOneOnlineAgentById, else error-user-is-offline
    const agent = sim.store.agentById(userId);
    if (!agent || agent.status !== 'online') throw plainError('error-user-is-offline');
    if (room.servedBy?._id === agent._id) throw plainError('error-selected-agent-room-agent-are-same');
    await sim.rooms.forwardToAgent(room._id, agent.username);
    return success();
  });

  // imports/server/rest/departments.ts livechat/department GET: view-livechat-departments or view-l-room
  router.add('GET', 'livechat/department', (ctx) => {
    requirePermissions(userOf(ctx), ['view-livechat-departments', 'view-l-room'], 'any', sim.profile);
    const q = (k: string): string | undefined => ctx.query.get(k) ?? undefined;
    const search = q('text')?.toLowerCase();
    // onlyMyDepartments goes through an EE callback (livechat.applyDepartmentRestrictions): ignored here, as in CE
    const list = [...sim.store.departments.values()].filter(
      (d) => (q('enabled') !== 'true' || d.enabled) && (!search || d.name.toLowerCase().includes(search)) && d._id !== q('excludeDepartmentId'),
    );
    // getPaginationItems: API_Default_Count 50
    const offset = Math.max(0, parseInt(q('offset') ?? '0', 10) || 0);
    const count = q('count') !== undefined ? Math.max(0, parseInt(q('count')!, 10) || 0) : 50;
    const page = list.slice(offset, count > 0 ? offset + count : undefined);
    return success({ departments: page.map((d) => restDepartment(sim, d)), count: page.length, offset, total: list.length });
  });
}
