import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import axios from 'axios';
import { loadConfig } from '../../src/config/app-config';
import { MetricsService } from '../../src/metrics/metrics.service';
import { RocketChatClient } from '../../src/rocketchat/rocketchat.client';
import { rocketChatHttpOptions } from '../../src/rocketchat/rocketchat.module';

/** The real RocketChatClient with the module's HTTP settings, outside Nest. */
export function rocketChatClient(url: string, env: Record<string, string> = {}): RocketChatClient {
  // outside Nest the client's logger would print its debug lines with the default console logger
  Logger.overrideLogger(['error']);
  const config = loadConfig({ ROCKETCHAT_URL: url, ...env });
  return new RocketChatClient(new HttpService(axios.create(rocketChatHttpOptions(config))), config, new MetricsService());
}
