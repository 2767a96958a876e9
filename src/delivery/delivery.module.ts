import { Module } from '@nestjs/common';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { JobQueue } from './job-queue.service';
import { MessageDelivery } from './message-delivery.service';

@Module({
  imports: [RocketChatModule],
  providers: [JobQueue, MessageDelivery],
  exports: [JobQueue, MessageDelivery],
})
export class DeliveryModule {}
