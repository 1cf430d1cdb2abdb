// What every journey step shares: clients created once per container, Powertools logging and
// metrics through middy, and the one way a step moves a case to a new stage (a conditional
// write, then the milestone).
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { requireEnv } from '../domain/config';
import { CaseStore, type CaseChange } from '../domain/case-store';
import { milestoneFor, publishMilestone } from '../domain/milestones';
import { findService, type Service } from '../domain/catalogue';
import type { CaseRecord, Stage } from '../domain/case';

export const logger = new Logger({ serviceName: 'journeys' });
const metrics = new Metrics({ namespace: 'JourneyTracker', serviceName: 'journeys' });
export const store = new CaseStore(
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  requireEnv('TABLE_NAME'),
);
const sns = new SNSClient({});
const topicArn = requireEnv('MILESTONE_TOPIC_ARN');

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

/**
 * Moves a case to `stage` with one conditional write (status, history entry and whatever else
 * `change` says), then publishes the milestone. `alreadyDone` recognises a retried step whose
 * write had landed, so a retry neither writes twice nor skips the milestone.
 */
export async function moveToStage(
  reference: string,
  stage: Stage,
  change: (current: CaseRecord, at: string) => CaseChange,
  alreadyDone: (current: CaseRecord) => boolean = (current) => current.stage === stage,
): Promise<CaseRecord> {
  const { record, changed } = await store.update(reference, (current) => {
    if (alreadyDone(current)) return undefined;
    const at = new Date().toISOString();
    const extra = change(current, at);
    return {
      ...extra,
      set: { ...extra.set, stage },
      append: { ...extra.append, history: [{ at, stage }] },
    };
  });
  logger.info('stage', { reference, stage, changed });
  await publishMilestone(sns, topicArn, milestoneFor(record));
  return record;
}
