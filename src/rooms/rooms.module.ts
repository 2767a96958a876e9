import { Module } from '@nestjs/common';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { RoomLookup } from './room-lookup.service';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

@Module({
  imports: [RocketChatModule],
  controllers: [RoomsController],
  providers: [RoomsService, RoomLookup],
  exports: [RoomLookup],
})
export class RoomsModule {}
