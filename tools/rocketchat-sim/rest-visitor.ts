import type { SimContext } from './context';
import { meteorError, plainError } from './errors';
import { randomId } from './ids';
import { restVisitor } from './payloads';
import { success, type RequestContext, type Router } from './router';
import type { Visitor } from './types';
import { asObject, checkString } from './validate';

interface CustomFieldInput {
  key: string;
  value: string;
  overwrite: boolean;
}

/** `check(visitor.customFields, Match.Maybe([Match.ObjectIncluding({ key: String, value: String, overwrite: Boolean })]))` */
function customFieldsOf(visitor: Record<string, unknown>): CustomFieldInput[] {
  const raw = visitor.customFields;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw plainError(`Match error: Expected array, got ${typeof raw} in field visitor.customFields`);
  return raw.map((item: unknown, i) => {
    const field = asObject(item);
    const where = `visitor.customFields[${i}]`;
    if (!field) throw plainError(`Match error: Expected object, got ${typeof item} in field ${where}`);
    const key = checkString(field, 'key', where, true)!;
    const value = checkString(field, 'value', where, true)!;
    if (typeof field.overwrite !== 'boolean') throw plainError(`Match error: Expected boolean, got ${typeof field.overwrite} in field ${where}.overwrite`);
    return { key, value, overwrite: field.overwrite };
  });
}

/** POST livechat/visitor: `registerGuest` upserts by token, then the custom fields, then open rooms' names. */
function registerVisitor(sim: SimContext, ctx: RequestContext): Visitor {
  const body = asObject(ctx.body) ?? {};
  const input = asObject(body.visitor);
  if (!input) throw plainError(body.visitor === undefined ? "Match error: Missing key 'visitor'" : 'Match error: Expected object in field visitor');
  const token = checkString(input, 'token', 'visitor', true)!;
  const [name, email, department, phone, username] = ['name', 'email', 'department', 'phone', 'username'].map((k) => checkString(input, k, 'visitor', false));
  const customFields = customFieldsOf(input);
  if (!token.trim()) throw meteorError('error-invalid-token', 'Token cannot be empty');

  const { store } = sim;
  const now = store.clock.now();
  let visitor = store.visitorByToken(token);
  if (!visitor) {
    visitor = { _id: randomId(), token, username: username || store.nextGuestUsername(), livechatData: {}, ts: now, _updatedAt: now, status: 'online' };
    store.visitors.set(visitor._id, visitor);
  }
  if (name !== undefined) visitor.name = name;
  if (email) visitor.visitorEmails = [{ address: email.trim().toLowerCase() }];
  if (phone) visitor.phone = [{ phoneNumber: phone }];
  if (department && visitor.department !== department) {
    // lib/guests.ts registerGuest: LivechatDepartment.findOneByIdOrName (enabled or not), else Meteor.Error
    const found = [...store.departments.values()].find((d) => d._id === department || d.name === department);
    if (!found) throw meteorError('error-invalid-department', 'The provided department is invalid');
    visitor.department = found._id;
  }
  visitor.ip = headerText(ctx, 'x-real-ip') ?? ctx.ip;
  visitor.userAgent = headerText(ctx, 'user-agent');
  visitor._updatedAt = now;
  for (const field of customFields) {
    if (!sim.visitorCustomFields.includes(field.key)) continue; // undefined keys are skipped silently
    if (!field.overwrite && visitor.livechatData[field.key]) continue;
    visitor.livechatData[field.key] = field.value;
  }
  const open = store.openRoomOf(token);
  if (open && visitor.name) open.fname = visitor.name;
  return visitor;
}

function headerText(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function addVisitorRoutes(router: Router, sim: SimContext): void {
  router.add('POST', 'livechat/visitor', (ctx) => success({ visitor: restVisitor(registerVisitor(sim, ctx)) }));

  router.add('GET', 'livechat/visitor/:token', (ctx) => {
    const visitor = sim.store.visitorByToken(ctx.params.token!);
    if (!visitor) throw meteorError('invalid-token');
    return success({ visitor: restVisitor(visitor) });
  });

  router.add('DELETE', 'livechat/visitor/:token', (ctx) => {
    const visitor = sim.store.visitorByToken(ctx.params.token!);
    if (!visitor) throw meteorError('invalid-token');
    if (sim.store.openRoomOf(visitor.token)) throw meteorError('visitor-has-open-rooms', 'Cannot remove visitors with opened rooms');
    sim.store.removeVisitor(visitor);
    return success({ visitor: { _id: visitor._id, ts: new Date().toISOString() } });
  });
}
