import type { ExecutionContext } from '@nestjs/common';
import type { AppConfig } from '../../../src/config/app-config';
import { WebhookTokenGuard } from '../../../src/webhooks/webhook-token.guard';

const config = (webhookToken?: string) => ({ rocketchat: { webhookToken } }) as unknown as AppConfig;
const request = (headers: Record<string, string>) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ headers }) }) }) as unknown as ExecutionContext;

describe('WebhookTokenGuard', () => {
  it('lets the right token through', () => {
    expect(new WebhookTokenGuard(config('s3cret-token-1234')).canActivate(request({ 'x-rocketchat-livechat-token': 's3cret-token-1234' }))).toBe(true);
  });

  it.each([[{}], [{ 'x-rocketchat-livechat-token': '' }], [{ 'x-rocketchat-livechat-token': 's3cret-token-123' }], [{ 'x-rocketchat-livechat-token': 's3cret-token-12345' }]])(
    'answers 401 to %j',
    (headers) => {
      expect(() => new WebhookTokenGuard(config('s3cret-token-1234')).canActivate(request(headers))).toThrow(expect.objectContaining({ status: 401 }));
    },
  );

  it('answers 503 when no token is configured', () => {
    expect(() => new WebhookTokenGuard(config(undefined)).canActivate(request({ 'x-rocketchat-livechat-token': 'x' }))).toThrow(expect.objectContaining({ status: 503 }));
  });
});
