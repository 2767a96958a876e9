import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventAnnouncer } from '../live/event-announcer';
import { EventLog } from '../live/event-log';
import { PgNotifications } from './pg-notifications';
import { IdempotencyKeyEntity } from '../common/idempotency/idempotency-key.entity';
import { MessageEntity } from '../messages/message.entity';
import { MessageOutbox } from '../messages/message-outbox';
import { MessageStore } from '../messages/message-store';
import { WebhookMessageStatement } from '../messages/webhook-message.statement';
import { OfflineMessageEntity } from '../offline-messages/offline-message.entity';
import { RoomHistoryEntity } from '../rooms/room-history.entity';
import { RoomEntity } from '../rooms/room.entity';
import { RoomLoss } from '../rooms/room-loss';
import { RoomStore } from '../rooms/room-store';
import { VisitorEntity } from '../visitors/visitor.entity';
import { VisitorStore } from '../visitors/visitor-store';
import { WebhookReceiptEntity } from '../webhooks/webhook-receipt.entity';

/**
 * The conversation store: entities and the persistence rules (stores) shared by the API flows,
 * the webhook handlers and reconciliation. Stores work inside the caller's transaction.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([
      VisitorEntity,
      RoomEntity,
      RoomHistoryEntity,
      MessageEntity,
      WebhookReceiptEntity,
      OfflineMessageEntity,
      IdempotencyKeyEntity,
    ]),
  ],
  providers: [VisitorStore, RoomStore, MessageStore, MessageOutbox, WebhookMessageStatement, RoomLoss, EventLog, EventAnnouncer, PgNotifications],
  exports: [TypeOrmModule, VisitorStore, RoomStore, MessageStore, MessageOutbox, WebhookMessageStatement, RoomLoss, EventLog, EventAnnouncer, PgNotifications],
})
export class StoreModule {}
