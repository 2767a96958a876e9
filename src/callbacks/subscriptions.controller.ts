import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { uuidParam } from '../common/http/uuid-param.pipe';
import { CreateSubscriptionDto, DeliveriesQueryDto, DeliveryPageDto, SubscriptionDto, SubscriptionListDto } from './dto/subscription.dto';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@RequireScopes('admin')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to events',
    description:
      'omnigate POSTs each matching event logged from now on to the URL as JSON `{ id, type, roomId, createdAt, data }` with the headers `Omnigate-Event-Id`, `Omnigate-Event-Type` and `Omnigate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the secret>`. A 2xx answer delivers; a network error, a timeout (10 s), 5xx or 429 is retried with exponential backoff for up to 24 hours after the event; any other answer fails at once. After a run of deliveries that failed (10 by default) the subscription is disabled. The secret is stored as given, since signing needs it, and never returned.',
  })
  @ApiCreatedResponse({ type: SubscriptionDto })
  @ApiErrors(400)
  create(@Body() dto: CreateSubscriptionDto): Promise<SubscriptionDto> {
    return this.subscriptions.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List subscriptions', description: 'Oldest first, with their failure counts; secrets are never listed.' })
  @ApiOkResponse({ type: SubscriptionListDto })
  async list(): Promise<SubscriptionListDto> {
    return { items: await this.subscriptions.list() };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a subscription', description: 'Shows whether it is disabled, since when and why.' })
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiErrors(400, 404)
  get(@Param('id', uuidParam()) id: string): Promise<SubscriptionDto> {
    return this.subscriptions.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription', description: 'Stops every delivery to it at once, including retries already scheduled, and deletes its delivery history.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  remove(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.subscriptions.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'List delivery attempts',
    description: 'Every attempt, newest first: event id and type, attempt number, outcome (delivered, failed, retrying, gave_up), HTTP status, error and latency. Cursor pagination.',
  })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiErrors(400, 404)
  deliveries(@Param('id', uuidParam()) id: string, @Query() query: DeliveriesQueryDto): Promise<DeliveryPageDto> {
    return this.subscriptions.deliveries(id, query);
  }
}
