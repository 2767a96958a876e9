import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { CallbackAttemptEntity } from './callback-attempt.entity';
import { CallbackJobs } from './callback-jobs';
import { CallbackDispatcher } from './callback-dispatcher';
import { callbackOptionsProvider } from './callback-options';
import { CallbackSender } from './callback-sender';
import { SubscriptionEntity } from './subscription.entity';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

/** Signed callbacks: subscriptions (admin API), the dispatcher over the event log, and the delivery jobs. */
@Module({
  imports: [AuthModule, DeliveryModule, TypeOrmModule.forFeature([SubscriptionEntity, CallbackAttemptEntity])],
  controllers: [SubscriptionsController],
  providers: [callbackOptionsProvider, CallbackSender, CallbackJobs, CallbackDispatcher, SubscriptionsService],
})
export class CallbacksModule {}
