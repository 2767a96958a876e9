import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsRocketChatId } from '../../common/http/validators';

export class DepartmentDto {
  @ApiProperty({ example: 'dep-sales', description: "Rocket.Chat's department id" })
  id!: string;

  @ApiProperty({ example: 'Sales' })
  name!: string;

  @ApiProperty({ example: true })
  enabled!: boolean;

  @ApiPropertyOptional({ example: true, nullable: true, type: Boolean, description: 'offered on the registration form' })
  showOnRegistration!: boolean | null;

  @ApiPropertyOptional({ example: true, nullable: true, type: Boolean, description: 'offered on the offline form' })
  showOnOfflineForm!: boolean | null;
}

export class DepartmentListDto {
  @ApiProperty({ type: [DepartmentDto] })
  items!: DepartmentDto[];

  @ApiProperty({
    enum: ['department-list', 'widget-config'],
    example: 'widget-config',
    description:
      "`department-list`: Rocket.Chat's authenticated list (every department, disabled ones included; needs ROCKETCHAT_USER_ID/ROCKETCHAT_AUTH_TOKEN); " +
      '`widget-config`: `livechat/config` (enabled departments with at least one agent only)',
  })
  source!: 'department-list' | 'widget-config';

  @ApiProperty({ example: '2026-12-01T12:00:00.000Z', description: 'when omnigate read it from Rocket.Chat (cached briefly)' })
  fetchedAt!: string;
}

export class AvailabilityQueryDto {
  @ApiPropertyOptional({ example: 'dep-sales', description: 'a department; absent: any department' })
  @IsOptional()
  @IsRocketChatId()
  departmentId?: string;
}

export class AvailabilityDto {
  @ApiProperty({ example: true, description: 'an agent is online to take a chat (else offer the offline form)' })
  online!: boolean;

  @ApiPropertyOptional({ example: 'dep-sales', nullable: true, type: String })
  departmentId!: string | null;

  @ApiProperty({ example: true, description: "Rocket.Chat's livechat is enabled" })
  enabled!: boolean;

  @ApiProperty({ example: true, description: "Rocket.Chat's widget shows the offline form when nobody is online" })
  offlineForm!: boolean;
}
