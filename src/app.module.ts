import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { loggerOptions } from './common/logging';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { RocketChatModule } from './rocketchat/rocketchat.module';
import { StoreModule } from './database/conversation-store.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { TranscriptsModule } from './transcripts/transcripts.module';
import { VisitorsModule } from './visitors/visitors.module';
import { RoomsModule } from './rooms/rooms.module';
import { MessagesModule } from './messages/messages.module';
import { OfflineMessagesModule } from './offline-messages/offline-messages.module';
import { LiveModule } from './live/live.module';
import { CallbacksModule } from './callbacks/callbacks.module';
import { DemoModule } from './demo/demo.module';
import { DepartmentsModule } from './departments/departments.module';
import { SessionsModule } from './sessions/sessions.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        DatabaseModule.forRoot(config),
        MetricsModule,
        StoreModule,
        AuthModule,
        SessionsModule,
        RocketChatModule,
        HealthModule,
        WebhooksModule,
        ReconciliationModule,
        VisitorsModule,
        RoomsModule,
        DepartmentsModule,
        MessagesModule,
        OfflineMessagesModule,
        LiveModule,
        CallbacksModule,
        TranscriptsModule,
        DemoModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
