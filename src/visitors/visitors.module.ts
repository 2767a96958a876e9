import { Module } from '@nestjs/common';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { SessionsModule } from '../sessions/sessions.module';
import { VisitorsController } from './visitors.controller';
import { VisitorRegistration } from './visitor-registration';
import { VisitorsService } from './visitors.service';

@Module({
  imports: [RocketChatModule, SessionsModule],
  controllers: [VisitorsController],
  providers: [VisitorsService, VisitorRegistration],
  exports: [VisitorsService, VisitorRegistration],
})
export class VisitorsModule {}
