import { ApiProperty } from '@nestjs/swagger';

/**
 * A value omnigate was given that Rocket.Chat ignored: said in the answer rather than dropped
 * silently. The request still succeeded.
 */
export class WarningDto {
  @ApiProperty({ example: 'customFields.nickname', description: 'the input field concerned' })
  field!: string;

  @ApiProperty({ example: 'Rocket.Chat has no visitor custom field "nickname": it was not stored' })
  message!: string;
}
