import { Module } from '@nestjs/common';
import { VisitorSessionTokens } from './visitor-session-tokens';
import { VisitorSessions } from './visitor-sessions';
import { VisitorSessionsController } from './visitor-sessions.controller';

/** Visitor sessions: browser-safe tokens for one visitor (minted with an API key, refreshable, revocable). */
@Module({
  controllers: [VisitorSessionsController],
  providers: [VisitorSessionTokens, VisitorSessions],
  exports: [VisitorSessions],
})
export class SessionsModule {}
