import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RocketChatModule } from '../rocketchat/rocketchat.module';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), RocketChatModule],
  controllers: [HealthController],
})
export class HealthModule {}
