import { Module } from '@nestjs/common';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { VisitorsModule } from '../visitors/visitors.module';
import { RoomCalls } from './room-calls';
import { RoomLookup } from './room-lookup';
import { RoomOpeningLease } from './room-opening.lease';
import { RoomsController } from './rooms.controller';
import { RoomSurveys } from './room-surveys';
import { RoomsService } from './rooms.service';

@Module({
  imports: [RocketChatModule, VisitorsModule],
  controllers: [RoomsController],
  providers: [RoomsService, RoomSurveys, RoomLookup, RoomOpeningLease, RoomCalls],
  exports: [RoomLookup, RoomCalls],
})
export class RoomsModule {}
