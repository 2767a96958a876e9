import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AppConfig } from '../config/app-config';
import { RocketChatClient } from './rocketchat.client';
import { RocketChatHealthIndicator } from './rocketchat.health';

@Module({
  imports: [
    TerminusModule,
    HttpModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        baseURL: config.rocketchat.url,
        timeout: config.rocketchat.timeoutMs,
        // one pool of kept-alive sockets per instance: no TCP/TLS handshake per call
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 }),
        maxRedirects: 0,
        validateStatus: () => true,
      }),
    }),
  ],
  providers: [RocketChatClient, RocketChatHealthIndicator],
  exports: [RocketChatClient, RocketChatHealthIndicator],
})
export class RocketChatModule {}
