import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ExportQueryDto } from './dto/export.dto';
import { ExportFile, ExportsService } from './exports.service';

const STREAMED = {
  description: 'Streamed as it is read (constant memory). CSV: a header row, RFC 4180 quoting, CRLF; NDJSON: one object per line. Times ISO-8601 UTC.',
  content: { 'text/csv': { schema: { type: 'string' } }, 'application/x-ndjson': { schema: { type: 'string' } } },
};

const asFile = (f: ExportFile): StreamableFile =>
  new StreamableFile(f.stream, { type: f.contentType, disposition: `attachment; filename="${f.filename}"` });

@ApiTags('exports')
@RequireScopes('transcripts:read')
@Controller('v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('messages')
  @ApiOperation({
    summary: 'Export messages of a period',
    description:
      'Every message sent in [from, to), oldest first, with its room, visitor, agent and department (id and name): the columns of the SQL view `transcript_lines`. ' +
      'Without `from` the export starts at the first message, without `to` it runs to the last: with neither it holds every message. ' +
      'One consistent snapshot. Outbound messages Rocket.Chat refused are not included.',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse(STREAMED)
  @ApiErrors(400)
  async messages(@Query() query: ExportQueryDto): Promise<StreamableFile> {
    return asFile(await this.exports.messages(query));
  }

  @Get('rooms')
  @ApiOperation({
    summary: 'Export rooms of a period with their metrics',
    description:
      'Every room opened in [from, to), oldest first, with the columns of the SQL view `room_metrics` (see GET /v1/metrics/rooms for the definitions). ' +
      'Without `from` the export starts at the first room, without `to` it runs to the last: with neither it holds every room.',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse(STREAMED)
  @ApiErrors(400)
  async rooms(@Query() query: ExportQueryDto): Promise<StreamableFile> {
    return asFile(await this.exports.rooms(query));
  }
}
