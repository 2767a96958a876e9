import { ApiProperty } from '@nestjs/swagger';

export class SyncResultDto {
  @ApiProperty({ description: "omnigate's room id", example: '0b9f8a52-3c1e-4d2a-9f5b-7e6d5c4b3a21' })
  roomId!: string;

  @ApiProperty({ description: "Messages read from Rocket.Chat's history (system messages included)", example: 12 })
  fetched!: number;

  @ApiProperty({ description: 'Messages omnigate lacked and inserted', example: 1 })
  inserted!: number;
}
