// The platform's own metrics as CloudWatch embedded metric format: one log line per count, no
// API call, under the dimensions the alarms watch: the service and, in AWS, the stage; a count
// with dimensions of its own (a service's journey, say) adds them to those.
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_DIMENSION, METRICS_NAMESPACE, STAGE_DIMENSION, type MetricName } from '../../domain/shared/metrics';
import { ENV } from '../../environment';
import type { Metrics } from '../../domain/ports';

export class CloudWatchMetrics implements Metrics {
  private readonly metrics = new PowertoolsMetrics({
    namespace: METRICS_NAMESPACE,
    serviceName: METRICS_DIMENSION.service,
    // read once, at start-up, as the other variables; the local platform has no stage
    ...(process.env[ENV.stage] && { defaultDimensions: { [STAGE_DIMENSION]: process.env[ENV.stage]! } }),
  });

  count(metric: MetricName, value = 1, dimensions?: Readonly<Record<string, string>>): void {
    if (dimensions) {
      // a metric of its own, so its dimensions never reach the platform-wide ones
      const single = this.metrics.singleMetric();
      single.addDimensions({ ...dimensions });
      single.addMetric(metric, MetricUnit.Count, value);
      return;
    }
    this.metrics.addMetric(metric, MetricUnit.Count, value);
    this.metrics.publishStoredMetrics();
  }
}
