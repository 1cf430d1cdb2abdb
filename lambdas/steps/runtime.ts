// What every journey step shares: the case store created once per container, Powertools
// logging through middy, and metrics.
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { caseStoreFromEnv } from '../domain/case-store';
import { METRICS_NAMESPACE, METRIC_SERVICES } from '../domain/metrics';
import { findService, type Service } from '../domain/catalogue';
import type { CaseRecord } from '../domain/case';

export const logger = new Logger({ serviceName: METRIC_SERVICES.journeys });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRIC_SERVICES.journeys });
export const store = caseStoreFromEnv();

export function step<I, O>(fn: (input: I) => Promise<O>) {
  return middy(async (input: I) => fn(input)).use(injectLambdaContext(logger));
}

/** Counts one event as a CloudWatch metric (embedded metric format), e.g. for an alarm. */
export function countMetric(name: string): void {
  metrics.addMetric(name, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

export function serviceOf(record: CaseRecord): Service {
  const service = findService(record.service);
  if (!service) throw new Error(`case ${record.reference} names a service that is no longer in the catalogue`);
  return service;
}
