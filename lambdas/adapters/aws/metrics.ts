// The platform's own metrics as CloudWatch embedded metric format: one log line per count, no
// API call, under the one dimension the alarms watch.
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_DIMENSION, METRICS_NAMESPACE, type MetricName } from '../../domain/metrics';
import type { Metrics } from '../../domain/ports';

export class CloudWatchMetrics implements Metrics {
  private readonly metrics = new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_DIMENSION.service });

  count(metric: MetricName, value = 1): void {
    this.metrics.addMetric(metric, MetricUnit.Count, value);
    this.metrics.publishStoredMetrics();
  }
}
