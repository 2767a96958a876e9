import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { METRICS_DEFINITIONS, RoomMetricsPageDto, RoomMetricsQueryDto } from './dto/room-metrics.dto';
import { RoomMetricsService } from './room-metrics.service';

@ApiTags('metrics')
@RequireScopes('transcripts:read')
@Controller('v1/metrics')
export class RoomMetricsController {
  constructor(private readonly metrics: RoomMetricsService) {}

  @Get('rooms')
  @ApiOperation({ summary: 'Service metrics per room, day, agent or department', description: METRICS_DEFINITIONS })
  @ApiOkResponse({ type: RoomMetricsPageDto })
  @ApiErrors(400)
  rooms(@Query() query: RoomMetricsQueryDto): Promise<RoomMetricsPageDto> {
    return this.metrics.metrics(query);
  }
}
