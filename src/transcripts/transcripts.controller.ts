import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { TranscriptSearchPageDto, TranscriptSearchQueryDto } from './dto/search.dto';
import { TranscriptDto, TranscriptQueryDto } from './dto/transcript.dto';
import { CONTENT_TYPES, negotiateTranscriptFormat } from './format/content-negotiation';
import { renderTranscript } from './format/transcript-formats';
import { TranscriptSearchService } from './transcript-search.service';
import { TranscriptsService } from './transcripts.service';

@ApiTags('transcripts')
@RequireScopes('transcripts:read')
@Controller('v1/transcripts')
export class TranscriptsController {
  constructor(
    private readonly transcripts: TranscriptsService,
    private readonly searcher: TranscriptSearchService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Search transcripts',
    description:
      'Rooms whose messages match `q` (PostgreSQL full-text search in the configured SEARCH_LANGUAGE, case- and accent-insensitive: `nao` finds `não`; the default, `simple`, does not stem, so names and order numbers match as typed), ' +
      'filtered by opening period [from, to), agent, department, visitor, status and tag; without `from` and `to` every room is searched, whatever its age; newest room first; cursor pagination stable under inserts. ' +
      'Each room carries its first 3 matching messages with the matched words between « and » (plain text).',
  })
  @ApiOkResponse({ type: TranscriptSearchPageDto })
  @ApiErrors(400)
  search(@Query() query: TranscriptSearchQueryDto): Promise<TranscriptSearchPageDto> {
    return this.searcher.search(query);
  }

  @Get(':roomId')
  @ApiOperation({
    summary: "A room's transcript",
    description:
      'Room, visitor (name null after a GDPR erase), agents involved, department (id and name), lifecycle events and messages in order. ' +
      'Formats: json (default), txt (`[2026-11-24 12:00:05Z] Maria Souza: text`, events and system messages in brackets, departments as `Sales (dep-sales)`), ' +
      'csv (time,kind,type,author_type,author_name,text,message_id; RFC 4180) and ndjson (a `transcript` line, then one line per event or message), ' +
      'chosen by `format=` or the Accept header. An Accept naming none of them is a 406.',
  })
  @ApiParam({ name: 'roomId', description: "omnigate's room uuid or Rocket.Chat's room id", example: 'Lm2yGp8dRk4sTnQaW' })
  @ApiHeader({ name: 'Accept', required: false, description: 'application/json, text/plain, text/csv or application/x-ndjson' })
  @ApiProduces('application/json', 'text/plain', 'text/csv', 'application/x-ndjson')
  @ApiOkResponse({ type: TranscriptDto, description: 'JSON shown; txt, csv and ndjson carry the same content' })
  @ApiErrors(400, 404, [406, 'The Accept header names no format a transcript is available in'])
  async get(
    @Param('roomId') roomId: string,
    @Query() query: TranscriptQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TranscriptDto | string> {
    const format = negotiateTranscriptFormat(query.format, accept);
    const transcript = await this.transcripts.get(roomId);
    void reply.header('Vary', 'Accept').type(CONTENT_TYPES[format]);
    return format === 'json' ? transcript : renderTranscript(transcript, format);
  }
}
