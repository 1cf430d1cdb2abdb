// Journey step: a step kept failing. The case is never lost: it shows the citizen a plain
// "on hold" status, lands in the on-hold queue for the team, and counts towards the alarm.
import { METRIC } from '../domain/metrics';
import { moveToStage } from './stages';
import { countMetric, logger, step } from './runtime';

export interface PutOnHoldInput {
  readonly reference: string;
  readonly failure?: { readonly Error?: string; readonly Cause?: string };
}

export const handler = step(async ({ reference, failure }: PutOnHoldInput) => {
  // Only the error's name: a cause can carry data from the case.
  const error = String(failure?.Error ?? 'unknown').slice(0, 100);
  await moveToStage(reference, 'on-hold', (_current, at) => ({
    set: { queue: 'on-hold', queuedAt: at },
    remove: ['awaiting', 'taskToken'],
    append: { audit: [{ at, actor: 'journey', action: 'put-on-hold', reason: `A journey step failed: ${error}` }] },
  }));
  countMetric(METRIC.casesOnHold);
  logger.error('case put on hold', { reference, error });
  return { reference, stage: 'on-hold' };
});
