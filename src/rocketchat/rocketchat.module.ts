import { HttpModule } from '@nestjs/axios';
import type { HttpModuleOptions } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AppConfig } from '../config/app-config';
import { RocketChatClient } from './rocketchat.client';
import { RocketChatHealthIndicator } from './rocketchat.health';

/** axios settings for Rocket.Chat: base URL, per-call timeout, kept-alive sockets, every status returned. */
export function rocketChatHttpOptions(config: AppConfig): HttpModuleOptions {
  return {
    baseURL: config.rocketchat.url,
    timeout: config.rocketchat.timeoutMs,
    // one pool of kept-alive sockets per instance: no TCP/TLS handshake per call
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 }),
    maxRedirects: 0,
    // the client maps statuses itself (RocketChatRejectedError / RocketChatUnavailableError)
    validateStatus: () => true,
  };
}

@Module({
  imports: [
    TerminusModule,
    HttpModule.registerAsync({ inject: [AppConfig], useFactory: rocketChatHttpOptions }),
  ],
  providers: [RocketChatClient, RocketChatHealthIndicator],
  exports: [RocketChatClient, RocketChatHealthIndicator],
})
export class RocketChatModule {}
