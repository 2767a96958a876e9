import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import type { DeliveryOutcome } from './webhook-receipt.entity';

/** The webhook's Prometheus series. Unknown types share one label so a sender cannot grow the series. */
@Injectable()
export class WebhookMetrics {
  private readonly deliveries: Counter<'type' | 'outcome'>;
  private readonly latency: Histogram<'type'>;

  constructor(metrics: MetricsService) {
    this.deliveries = metrics.counter('omnigate_webhook_deliveries_total', 'Rocket.Chat webhook deliveries by event type and outcome', ['type', 'outcome']);
    this.latency = metrics.histogram(
      'omnigate_webhook_processing_seconds',
      'Time from receipt to commit of a Rocket.Chat webhook delivery, by event type',
      ['type'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    );
  }

  record(type: string, known: boolean, outcome: DeliveryOutcome, startedAt: bigint): void {
    const label = known ? type : 'unknown';
    this.deliveries.inc({ type: label, outcome });
    this.latency.observe({ type: label }, Number(process.hrtime.bigint() - startedAt) / 1e9);
  }
}
