import { RestError } from './errors';
import { restTypings, type AjvValidator } from './rest-typings';

/**
 * How a route's schema failure reaches the client. `addRoute({ validateParams })` (ApiClass.ts)
 * throws `Meteor.Error('invalid-params', messages)`; the typed `API.v1.post({ body })` routes answer
 * from router.ts with `errorType: 'error-invalid-params'` and the bare messages.
 */
type Style = 'validateParams' | 'typed-body';

interface RouteSchema {
  validator: () => AjvValidator;
  style: Style;
}

const published = (name: string) => (): AjvValidator => {
  const validator = restTypings().validators[name];
  if (!validator) throw new Error(`@rocket.chat/rest-typings has no ${name}`);
  return validator;
};

let roomTransfer: AjvValidator | undefined;
/** room.transfer left rest-typings with the route in 8.0; this is its 7.x schema, compiled by the same ajv. */
const roomTransferSchema = (): AjvValidator =>
  (roomTransfer ??= restTypings().compile({
    type: 'object',
    properties: { token: { type: 'string' }, rid: { type: 'string' }, department: { type: 'string' } },
    required: ['token', 'rid', 'department'],
    additionalProperties: false,
  }));

/**
 * The routes of apps/meteor/app/livechat/server/api/v1/{message,room,config,offlineMessage}.ts (and
 * imports/server/rest/departments.ts) with a schema. POST livechat/visitor and GET livechat/room use Meteor `check` instead and are not here.
 */
const ROUTES: Record<string, RouteSchema> = {
  'POST livechat/message': { validator: published('isPOSTLivechatMessageParams'), style: 'validateParams' },
  'GET livechat/message/:_id': { validator: published('isGETLivechatMessageIdParams'), style: 'validateParams' },
  'PUT livechat/message/:_id': { validator: published('isPUTLivechatMessageIdParams'), style: 'validateParams' },
  'DELETE livechat/message/:_id': { validator: published('isDELETELivechatMessageIdParams'), style: 'validateParams' },
  'GET livechat/messages.history/:rid': { validator: published('isGETLivechatMessagesHistoryRidParams'), style: 'validateParams' },
  'POST livechat/room.close': { validator: published('isPOSTLivechatRoomCloseParams'), style: 'validateParams' },
  'POST livechat/room.survey': { validator: published('isPOSTLivechatRoomSurveyParams'), style: 'validateParams' },
  'POST livechat/room.transfer': { validator: roomTransferSchema, style: 'validateParams' },
  'POST livechat/offline.message': { validator: published('isPOSTLivechatOfflineMessageParams'), style: 'validateParams' },
  'GET livechat/config': { validator: published('isGETLivechatConfigParams'), style: 'validateParams' },
  'POST livechat/room.forward': { validator: published('isLiveChatRoomForwardProps'), style: 'validateParams' },
  'GET livechat/department': { validator: published('isGETLivechatDepartmentProps'), style: 'validateParams' },
  'POST livechat/visitor/department.transfer': { validator: published('isPOSTLivechatVisitorDepartmentTransferParams'), style: 'typed-body' },
};

/** Route keys (`"POST livechat/message"`) that have a request schema. */
export const VALIDATED_ROUTES: readonly string[] = Object.keys(ROUTES);

/**
 * Checks `params` (the body, or the query for GET) of one route against Rocket.Chat's own
 * validator. `errors` is the text Rocket.Chat puts in `error`: ajv's messages joined by "\n ".
 * Like Rocket.Chat, ajv coerces scalar types in place (`coerceTypes`).
 */
export function validateLivechatRequest(routeKey: string, params: unknown): { valid: boolean; errors?: string } {
  const route = ROUTES[routeKey];
  if (!route) throw new Error(`no request schema for ${routeKey}; validated routes: ${VALIDATED_ROUTES.join(', ')}`);
  const validator = route.validator();
  if (validator(params)) return { valid: true };
  return { valid: false, errors: (validator.errors ?? []).map((e) => e.message).join('\n ') };
}

/** Throws the 400 Rocket.Chat answers when `params` fail the route's schema; routes without one pass. */
export function enforceRequestSchema(routeKey: string, params: unknown): void {
  const route = ROUTES[routeKey];
  if (!route) return;
  const { valid, errors = '' } = validateLivechatRequest(routeKey, params);
  if (valid) return;
  if (route.style === 'typed-body') throw new RestError(400, { success: false, errorType: 'error-invalid-params', error: errors });
  throw new RestError(400, { success: false, error: `${errors} [invalid-params]`, errorType: 'invalid-params' });
}
