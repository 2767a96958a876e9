import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The 200 answer. Rocket.Chat keeps its text on the room and sends it back as `crmData`. */
export class WebhookAckDto {
  @ApiProperty({ example: true })
  ok!: true;

  @ApiPropertyOptional({ description: "omnigate's room id; absent for offline messages and ignored types", example: '0b9f8a52-3c1e-4d2a-9f5b-7e6d5c4b3a21' })
  roomId?: string;
}
