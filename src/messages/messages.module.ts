import { Module } from '@nestjs/common';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { DeliveryModule } from '../delivery/delivery.module';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { RoomsModule } from '../rooms/rooms.module';
import { FilesService } from './files.service';
import { MessagesController } from './messages.controller';
import { MessageDeletions } from './message-deletions';
import { MessageEdits } from './message-edits';
import { MessagesService } from './messages.service';

@Module({
  imports: [RocketChatModule, RoomsModule, DeliveryModule],
  controllers: [MessagesController],
  providers: [MessagesService, MessageEdits, MessageDeletions, FilesService, IdempotencyService],
})
export class MessagesModule {}
