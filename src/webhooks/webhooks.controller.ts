import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { WebhookAckDto } from './dto/webhook-ack.dto';
import { WEBHOOK_ROUTE } from './webhook-route';
import { WebhookTokenGuard } from './webhook-token.guard';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  // Rocket.Chat counts only 200 as success (a Nest @Post answers 201 by default)
  @Post(WEBHOOK_ROUTE)
  @HttpCode(200)
  @Public()
  @UseGuards(WebhookTokenGuard)
  @ApiOperation({
    summary: "Rocket.Chat's Omnichannel webhook",
    description:
      'Set as Livechat_webhookUrl, with Livechat_secret_token = ROCKETCHAT_WEBHOOK_TOKEN. One event per call (`type`: LivechatSessionStart, LivechatSessionQueued, ' +
      'LivechatSessionTaken, LivechatSessionForwarded, Message, LivechatSession (close), LivechatEdit, LeadCapture, LivechatOfflineMessage). ' +
      'Recorded and applied in one transaction, idempotently: a redelivery answers 200 and changes nothing; an unknown type is recorded and answered 200.',
  })
  @ApiHeader({ name: 'X-RocketChat-Livechat-Token', required: true, description: "Rocket.Chat's Livechat_secret_token" })
  @ApiBody({ description: 'The event as Rocket.Chat sends it', schema: { type: 'object', additionalProperties: true, required: ['type'], properties: { type: { type: 'string', example: 'Message' }, _id: { type: 'string', example: '9kRtHqYwXcPm3aZbE' } } } })
  @ApiOkResponse({ type: WebhookAckDto, description: 'Recorded (applied, duplicate or ignored); the body is kept by Rocket.Chat as crmData' })
  @ApiErrors(
    [400, 'Not a JSON object, or a known event without its essentials (room `_id`, `visitor.token`, the message `_id`): recorded as rejected, never retried'],
    [401, 'Missing or wrong X-RocketChat-Livechat-Token; nothing stored'],
    413,
    [500, 'Not recorded (e.g. a database failure): Rocket.Chat retries'],
    [503, 'ROCKETCHAT_WEBHOOK_TOKEN is not configured, or the database is unavailable: nothing stored, Rocket.Chat retries'],
  )
  receive(@Body() body: unknown): Promise<WebhookAckDto> {
    return this.webhooks.receive(body);
  }
}

