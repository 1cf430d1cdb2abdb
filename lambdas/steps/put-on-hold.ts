// Journey step: a step kept failing. The case goes on hold, visibly, and the alarm counts it.
import { putOnHold } from '../domain/journeys/journey-steps';
import { transitionDeps } from '../adapters/aws/deps';
import { logger, step } from './runtime';

const deps = transitionDeps();

export interface PutOnHoldInput {
  readonly reference: string;
  readonly failure?: { readonly Error?: string; readonly Cause?: string };
}

export const handler = step(async ({ reference, failure }: PutOnHoldInput) => {
  const error = await putOnHold(deps, reference, failure);
  logger.error('case put on hold', { reference, error });
  return { reference, stage: 'on-hold' };
});
