import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import axios from 'axios';
import { loadConfig } from '../../src/config/app-config';
import { MetricsService } from '../../src/metrics/metrics.service';
import { RocketChatClient } from '../../src/rocketchat/rocketchat.client';
import { rocketChatHttpOptions } from '../../src/rocketchat/rocketchat.module';

/** A request as the client put it on the wire (seen by an axios interceptor, not changed). */
export interface SentRequest {
  method: string;
  url: string;
  params?: Record<string, string>;
  data?: unknown;
}

/** The real RocketChatClient with the module's HTTP settings, outside Nest. `sent` collects what it sends. */
export function rocketChatClient(url: string, env: Record<string, string> = {}, sent?: SentRequest[]): RocketChatClient {
  // outside Nest the client's logger would print its debug lines with the default console logger
  Logger.overrideLogger(['error']);
  const config = loadConfig({ ROCKETCHAT_URL: url, ...env });
  const instance = axios.create(rocketChatHttpOptions(config));
  if (sent) {
    instance.interceptors.request.use((request) => {
      sent.push({ method: (request.method ?? 'get').toUpperCase(), url: request.url ?? '', params: request.params as Record<string, string>, data: request.data });
      return request;
    });
  }
  return new RocketChatClient(new HttpService(instance), config, new MetricsService());
}
