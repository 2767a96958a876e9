import { Module } from '@nestjs/common';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { RoomsModule } from '../rooms/rooms.module';
import { ReconciliationController } from './reconciliation.controller';
import { reconciliationOptionsProvider } from './reconciliation.options';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import { ReconciliationService } from './reconciliation.service';

/** Missed webhooks never mean missing messages: periodic and on-demand history backfill. */
@Module({
  imports: [RocketChatModule, RoomsModule],
  controllers: [ReconciliationController],
  providers: [reconciliationOptionsProvider, ReconciliationService, ReconciliationScheduler],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
