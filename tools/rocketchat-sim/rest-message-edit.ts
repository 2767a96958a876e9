import type { SimContext } from './context';
import { plainError } from './errors';
import { restMessage } from './payloads';
import { success, type Router } from './router';
import { visitorOf, visitorRoom } from './rest-room';
import type { Message, Visitor } from './types';
import { asObject, text } from './validate';

/** The survey items and values of `settings().survey` (api/lib/livechat.ts); additionalFeedback takes any text. */
export const SURVEY_ITEMS = ['satisfaction', 'agentKnowledge', 'agentResposiveness', 'agentFriendliness'];
export const SURVEY_VALUES = ['1', '2', '3', '4', '5'];

/**
 * A visitor changes what it already sent: PUT and DELETE `livechat/message/:_id`
 * (api/v1/message.ts) and `livechat/room.survey` (api/v1/room.ts). All take a closed room:
 * `findRoom(token, rid)` does not filter on `open`.
 */
export function addMessageEditRoutes(router: Router, sim: SimContext): void {
  /** PUT and DELETE look the message up by `_id` alone (Messages.findOneById), not within `rid`. */
  const target = (body: Record<string, unknown>, id: string): { visitor: Visitor; message: Message } => {
    const visitor = visitorOf(sim, text(body.token));
    visitorRoom(sim, text(body.rid) ?? '', visitor);
    const message = sim.store.message(id);
    if (!message) throw plainError('invalid-message');
    return { visitor, message };
  };

  router.add('PUT', 'livechat/message/:_id', (ctx) => {
    const body = asObject(ctx.body) ?? {};
    const { visitor, message } = target(body, ctx.params._id!);
    // lib/messages.ts updateMessage: Message_AllowEditing and `originalMessage.u._id === guest._id`
    if (!sim.messageEditing || message.u._id !== visitor._id) throw plainError('error-action-not-allowed');
    sim.messages.edit(message, text(body.msg) ?? '', visitor);
    return success({ message: restMessage(message) });
  });

  router.add('DELETE', 'livechat/message/:_id', (ctx) => {
    const body = asObject(ctx.body) ?? {};
    const { visitor, message } = target(body, ctx.params._id!);
    // lib/messages.ts deleteMessage: Message_AllowDeleting and the visitor's own message
    if (!sim.messageDeleting || message.u._id !== visitor._id) throw plainError('error-action-not-allowed');
    sim.messages.delete(message);
    return success({ message: { _id: message._id, ts: new Date().toISOString() } });
  });

  // api/v1/room.ts livechat/room.survey: LivechatRooms.updateSurveyFeedbackById sets surveyFeedback.<name>; no webhook
  router.add('POST', 'livechat/room.survey', (ctx) => {
    const body = asObject(ctx.body) ?? {};
    const visitor = visitorOf(sim, text(body.token));
    const room = visitorRoom(sim, text(body.rid) ?? '', visitor);
    const data: Record<string, string> = {};
    for (const item of Array.isArray(body.data) ? body.data : []) {
      const { name, value } = (asObject(item) ?? {}) as { name?: string; value?: string };
      if (typeof name !== 'string' || typeof value !== 'string') continue;
      if ((SURVEY_ITEMS.includes(name) && SURVEY_VALUES.includes(value)) || name === 'additionalFeedback') data[name] = value;
    }
    if (Object.keys(data).length === 0) throw plainError('invalid-data');
    room.surveyFeedback = { ...room.surveyFeedback, ...data };
    room._updatedAt = sim.store.clock.now();
    return success({ rid: room._id, data });
  });
}
