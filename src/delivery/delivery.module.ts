import { Module } from '@nestjs/common';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { VisitorsModule } from '../visitors/visitors.module';
import { JobQueue } from './job-queue';
import { MessageDelivery } from './message-delivery';

@Module({
  imports: [RocketChatModule, VisitorsModule],
  providers: [JobQueue, MessageDelivery],
  exports: [JobQueue, MessageDelivery],
})
export class DeliveryModule {}
