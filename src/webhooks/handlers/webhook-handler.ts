import type { EntityManager } from 'typeorm';
import type { JsonObject } from '../webhook-payload';

export interface HandlerContext {
  /** when omnigate received the delivery: the time of events whose payload carries none */
  receivedAt: Date;
  /** sha256 of the canonical body: equal for redeliveries of the same event */
  contentKey: string;
}

export interface HandlerResult {
  /** omnigate's room id, answered to Rocket.Chat (kept as crmData) */
  roomId?: string;
  /** false when the delivery added nothing omnigate did not already hold (a redelivery) */
  changed: boolean;
}

/**
 * One event `type` of Rocket.Chat's Omnichannel webhook (Novu-style: one class per type, picked
 * from a map). `parse` throws WebhookPayloadError for a body that can never be applied; `handle`
 * runs inside the delivery's transaction.
 */
export interface WebhookHandler<P = unknown> {
  readonly type: string;
  parse(body: JsonObject): P;
  handle(em: EntityManager, payload: P, ctx: HandlerContext): Promise<HandlerResult>;
}

/** Injection token of the `type` → handler map. */
export const WEBHOOK_HANDLERS = Symbol('WEBHOOK_HANDLERS');
export type WebhookHandlerMap = ReadonlyMap<string, WebhookHandler>;
