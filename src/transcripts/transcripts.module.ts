import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { RoomMetricsController } from './room-metrics.controller';
import { RoomMetricsService } from './room-metrics.service';
import { SearchLanguage } from './search-language';
import { TranscriptSearchService } from './transcript-search.service';
import { TranscriptsController } from './transcripts.controller';
import { TranscriptsService } from './transcripts.service';

/** Analysts' read side: transcripts, search, streamed exports and service metrics (scope transcripts:read). */
@Module({
  controllers: [TranscriptsController, ExportsController, RoomMetricsController],
  providers: [TranscriptsService, TranscriptSearchService, SearchLanguage, ExportsService, RoomMetricsService],
})
export class TranscriptsModule {}
