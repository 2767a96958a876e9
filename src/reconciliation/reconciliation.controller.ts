import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { SyncResultDto } from './dto/sync-result.dto';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('rooms')
@RequireScopes('admin')
@Controller('v1/rooms')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Post(':id/sync')
  @HttpCode(200)
  @ApiOperation({
    summary: "Backfill a room's messages from Rocket.Chat",
    description: "Reads Rocket.Chat's message history from now back until it reaches what omnigate holds, and inserts the missing messages (a lost webhook). Open or closed rooms.",
  })
  @ApiParam({ name: 'id', description: 'omnigate room id (uuid) or Rocket.Chat room id', example: '9kRtHqYwXcPm3aZbE' })
  @ApiOkResponse({ type: SyncResultDto })
  @ApiErrors(400, 404, [409, 'Another instance is synchronising this room right now'], 422, 503)
  sync(@Param('id') id: string): Promise<SyncResultDto> {
    return this.reconciliation.syncById(id);
  }
}
