import { roomPayload, sessionFields, toWire } from './payloads';
import type { SimStore } from './store';
import type { JsonObject, Message, Room, WebhookEventType, WebhookSwitch } from './types';
import type { WebhookDispatcher } from './webhooks';

const SWITCHES: Record<Exclude<WebhookEventType, 'Message'>, WebhookSwitch | null> = {
  LivechatSessionStart: 'Livechat_webhook_on_start',
  LivechatSessionQueued: 'Livechat_webhook_on_chat_queued',
  LivechatSessionTaken: 'Livechat_webhook_on_chat_taken',
  LivechatSessionForwarded: 'Livechat_webhook_on_forward',
  LivechatSession: 'Livechat_webhook_on_close',
  // sent whenever a webhook URL is set, only for closed rooms (sendToCRM has no switch for it)
  LivechatEdit: null,
  LeadCapture: 'Livechat_webhook_on_capture',
  LivechatOfflineMessage: 'Livechat_webhook_on_offline_msg',
};

/**
 * Rocket.Chat awaits `callbacks.run` hooks (start, queued, taken, forwarded, message) but not the
 * close (`callbacks.runAsync`), the offline message (setImmediate) or the capture/edit hooks.
 */
const BLOCKING = new Set<WebhookEventType>(['LivechatSessionStart', 'LivechatSessionQueued', 'LivechatSessionTaken', 'LivechatSessionForwarded', 'Message']);

/** Turns what happened in a room into the webhook Rocket.Chat's sendToCRM would send. */
export class RoomEvents {
  constructor(
    private readonly store: SimStore,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  /** Session events carry the whole visible transcript so far (includeMessages defaults to true). */
  session(type: Exclude<WebhookEventType, 'Message' | 'LeadCapture' | 'LivechatOfflineMessage'>, room: Room, extra: JsonObject = {}): Promise<void> {
    const eventSwitch = SWITCHES[type];
    if (!this.webhooks.isOn(eventSwitch)) return Promise.resolve();
    const payload = roomPayload(this.store, room, type, this.store.messages(room._id), { ...sessionFields(room, type), ...extra });
    return this.webhooks.emit({ type, rid: room._id, payload: toWire(payload) }, eventSwitch, BLOCKING.has(type));
  }

  /**
   * `room` must be the room as it was BEFORE the message was saved: Rocket.Chat hands that object to
   * afterSaveMessage, so `lastMessageAt` and `agent` reflect the previous state.
   */
  message(roomBefore: Room, message: Message): Promise<void> {
    const eventSwitch: WebhookSwitch = message.token ? 'Livechat_webhook_on_visitor_message' : 'Livechat_webhook_on_agent_message';
    if (!this.webhooks.isOn(eventSwitch)) return Promise.resolve();
    const payload = roomPayload(this.store, roomBefore, 'Message', [message]);
    return this.webhooks.emit({ type: 'Message', rid: roomBefore._id, payload }, eventSwitch, true);
  }

  leadCapture(room: Room): Promise<void> {
    if (!this.webhooks.isOn(SWITCHES.LeadCapture)) return Promise.resolve();
    const payload = roomPayload(this.store, room, 'LeadCapture', []);
    return this.webhooks.emit({ type: 'LeadCapture', rid: room._id, payload }, SWITCHES.LeadCapture, false);
  }

  offlineMessage(input: { name: string; email: string; message: string }): Promise<void> {
    const payload = toWire({ type: 'LivechatOfflineMessage', sentAt: new Date(), visitor: { name: input.name, email: input.email }, message: input.message });
    return this.webhooks.emit({ type: 'LivechatOfflineMessage', payload }, SWITCHES.LivechatOfflineMessage, false);
  }
}
