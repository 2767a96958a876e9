import { Module } from '@nestjs/common';
import { LeadCaptureHandler } from './handlers/lead-capture.handler';
import { LivechatEditHandler } from './handlers/livechat-edit.handler';
import { LivechatOfflineMessageHandler } from './handlers/livechat-offline-message.handler';
import { LivechatSessionForwardedHandler } from './handlers/livechat-session-forwarded.handler';
import { LivechatSessionQueuedHandler } from './handlers/livechat-session-queued.handler';
import { LivechatSessionStartHandler } from './handlers/livechat-session-start.handler';
import { LivechatSessionTakenHandler } from './handlers/livechat-session-taken.handler';
import { LivechatSessionHandler } from './handlers/livechat-session.handler';
import { MessageHandler } from './handlers/message.handler';
import { RoomEventApplier } from './handlers/room-event.applier';
import { WEBHOOK_HANDLERS, WebhookHandler } from './handlers/webhook-handler';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookTokenGuard } from './webhook-token.guard';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** One class per event type; the map is keyed by each handler's `type`. */
const HANDLERS = [
  LivechatSessionStartHandler,
  LivechatSessionQueuedHandler,
  LivechatSessionTakenHandler,
  LivechatSessionForwardedHandler,
  MessageHandler,
  LivechatSessionHandler,
  LivechatEditHandler,
  LeadCaptureHandler,
  LivechatOfflineMessageHandler,
];

/** Rocket.Chat's Omnichannel webhook: token guard, one handler per event type, one transaction per delivery. */
@Module({
  controllers: [WebhooksController],
  providers: [
    ...HANDLERS,
    RoomEventApplier,
    WebhookMetrics,
    WebhookTokenGuard,
    WebhooksService,
    {
      provide: WEBHOOK_HANDLERS,
      useFactory: (...handlers: WebhookHandler[]) => new Map(handlers.map((h) => [h.type, h])),
      inject: HANDLERS,
    },
  ],
})
export class WebhooksModule {}
