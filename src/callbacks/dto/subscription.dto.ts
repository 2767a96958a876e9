import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { LIVE_EVENT_TYPES, type LiveEventType } from '../../live/event-log';

export class CreateSubscriptionDto {
  @ApiProperty({ example: 'https://chat-app.example.com/omnigate/callbacks', description:
      'http or https URL that receives the events; up to 2000 characters. Unless CALLBACK_ALLOW_PRIVATE_NETWORKS is set it must reach a public address: ' +
      'localhost and loopback, private, link-local or reserved IP literals are refused (400), and names resolving to such addresses are not called.',
  })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http or https URL' })
  url!: string;

  @ApiProperty({ enum: LIVE_EVENT_TYPES, isArray: true, example: ['message.created', 'room.closed'], description: 'Event types to receive; at least one, no repeats' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIVE_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(LIVE_EVENT_TYPES, { each: true, message: `each value in events must be one of ${LIVE_EVENT_TYPES.join(', ')}` })
  events!: LiveEventType[];

  @ApiProperty({
    example: 'whsec_4f9c2a7e1b8d4c6fa0e3',
    description: 'Shared secret (16-200 characters) that signs every callback (Omnigate-Signature). Stored as given, since signing needs it; never returned.',
  })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret!: string;
}

export class SubscriptionDto {
  @ApiProperty({ format: 'uuid', example: '7d0c2f4e-9a51-4b8e-8f3a-2c6d1e0b9a77' })
  id!: string;

  @ApiProperty({ example: 'https://chat-app.example.com/omnigate/callbacks' })
  url!: string;

  @ApiProperty({ enum: LIVE_EVENT_TYPES, isArray: true, example: ['message.created', 'room.closed'] })
  events!: string[];

  @ApiProperty({ example: '2026-11-29T10:00:00.000Z' })
  createdAt!: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: null, description: 'When omnigate stopped delivering after a run of failed deliveries' })
  disabledAt!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: null, description: 'Why it was disabled' })
  disabledReason!: string | null;

  @ApiProperty({ example: 0, description: 'Deliveries in a row that ended failed or gave_up (reset by a delivered one)' })
  consecutiveFailures!: number;
}

export class SubscriptionListDto {
  @ApiProperty({ type: [SubscriptionDto] })
  items!: SubscriptionDto[];
}

export const ATTEMPT_OUTCOMES = ['delivered', 'failed', 'retrying', 'gave_up'] as const;

export class DeliveryAttemptDto {
  @ApiProperty({ example: '1042', description: 'The event id (the same as the live stream event id and the Omnigate-Event-Id header)' })
  eventId!: string;

  @ApiProperty({ enum: LIVE_EVENT_TYPES, example: 'message.created' })
  eventType!: string;

  @ApiProperty({ example: 1, description: '1 for the first try of this event, then 2, 3, ...' })
  attempt!: number;

  @ApiProperty({
    enum: ATTEMPT_OUTCOMES,
    example: 'retrying',
    description: 'delivered: 2xx; failed: another 4xx (or a redirect), not retried; retrying: network error, timeout, 5xx or 429, tried again later; gave_up: the same, 24 h after the event',
  })
  outcome!: (typeof ATTEMPT_OUTCOMES)[number];

  @ApiPropertyOptional({ nullable: true, type: Number, example: 503 })
  httpStatus!: number | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'HTTP 503' })
  error!: string | null;

  @ApiProperty({ example: 87 })
  latencyMs!: number;

  @ApiProperty({ example: '2026-11-29T10:00:01.250Z' })
  attemptedAt!: string;
}

export class DeliveriesQueryDto extends PageQueryDto {}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryAttemptDto], description: 'Newest attempt first' })
  items!: DeliveryAttemptDto[];

  @ApiPropertyOptional({ nullable: true, type: String })
  nextCursor!: string | null;
}
