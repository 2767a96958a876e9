import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { uuidParam } from '../common/http/uuid-param.pipe';
import { RequireScopes } from './auth.decorators';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@RequireScopes('admin')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key', description: 'The secret is in this answer only; omnigate stores its SHA-256.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(400)
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys', description: 'Secrets are never listed, only their first characters.' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(): Promise<ApiKeyListDto> {
    return { items: await this.apiKeys.list() };
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key', description: 'Takes effect at once on this instance and within 5 s on the others. Idempotent.' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiErrors(400, 404)
  revoke(@Param('id', uuidParam()) id: string): Promise<ApiKeyDto> {
    return this.apiKeys.revoke(id);
  }
}
