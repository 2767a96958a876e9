import { Module } from '@nestjs/common';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { DeliveryModule } from '../delivery/delivery.module';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { RoomsModule } from '../rooms/rooms.module';
import { FilesService } from './files.service';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({
  imports: [RocketChatModule, RoomsModule, DeliveryModule],
  controllers: [MessagesController],
  providers: [MessagesService, FilesService, IdempotencyService],
})
export class MessagesModule {}
