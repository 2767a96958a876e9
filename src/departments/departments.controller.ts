import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AvailabilityDto, AvailabilityQueryDto, DepartmentListDto } from './dto/department.dto';
import { DepartmentsService } from './departments.service';

@ApiTags('departments')
@RequireScopes('chat:write')
@Controller('v1')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get('departments')
  @ApiOperation({
    summary: "Rocket.Chat's departments",
    description:
      "The authenticated department list when ROCKETCHAT_USER_ID/ROCKETCHAT_AUTH_TOKEN are set (every department), else `livechat/config` (enabled departments with at least one agent). " +
      'Cached 30 s and stored, so rooms, transcripts and metrics carry department names.',
  })
  @ApiOkResponse({ type: DepartmentListDto })
  @ApiErrors([422, 'Rocket.Chat refused (e.g. the configured user lacks the permission)'], 503)
  list(): Promise<DepartmentListDto> {
    return this.departments.list();
  }

  @Get('availability')
  @ApiOperation({ summary: 'Is an agent online?', description: "From `livechat/config`: whether to offer the chat or the offline form, for one department or any." })
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiErrors(400, 503)
  availability(@Query() query: AvailabilityQueryDto): Promise<AvailabilityDto> {
    return this.departments.availability(query);
  }
}
