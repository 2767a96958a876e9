import { Module } from '@nestjs/common';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { OfflineMessagesController } from './offline-messages.controller';
import { OfflineMessagesService } from './offline-messages.service';

@Module({
  imports: [RocketChatModule],
  controllers: [OfflineMessagesController],
  providers: [OfflineMessagesService],
})
export class OfflineMessagesModule {}
