import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CreateOfflineMessageDto, OfflineMessageDto } from './dto/offline-message.dto';
import { OfflineMessagesService } from './offline-messages.service';

@ApiTags('offline-messages')
@RequireScopes('chat:write')
@Controller('v1/offline-messages')
export class OfflineMessagesController {
  constructor(private readonly offline: OfflineMessagesService) {}

  @Post()
  @ApiOperation({
    summary: 'Leave an offline message',
    description: "For when no agent is online: forwarded to Rocket.Chat's offline form (POST livechat/offline.message), then stored. 503 when Rocket.Chat is unavailable.",
  })
  @ApiCreatedResponse({ type: OfflineMessageDto })
  @ApiErrors(400, [422, 'Rocket.Chat refused it (offline form disabled, e-mail not sent)'], 503)
  create(@Body() dto: CreateOfflineMessageDto): Promise<OfflineMessageDto> {
    return this.offline.create(dto);
  }
}
