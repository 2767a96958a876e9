import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { RoomsModule } from '../rooms/rooms.module';
import { VisitorsModule } from '../visitors/visitors.module';
import { LiveController } from './live.controller';
import { LiveHub } from './live-hub';
import { LiveService } from './live.service';

@Module({
  imports: [AuthModule, RoomsModule, VisitorsModule, RocketChatModule],
  controllers: [LiveController],
  providers: [LiveHub, LiveService],
  exports: [LiveHub],
})
export class LiveModule {}
