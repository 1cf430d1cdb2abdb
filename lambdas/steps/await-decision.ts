// Journey step (callback): puts the case in a caseworker queue with the task token the decision
// API hands back; called again with `escalated` when the service standard has passed.
import { queueForDecision, type DecisionWait } from '../domain/journeys/journey-steps';
import { transitionDeps } from '../adapters/aws/deps';
import { step } from './runtime';

const deps = transitionDeps();

export const handler = step(async (input: DecisionWait) => {
  const record = await queueForDecision(deps, input);
  return { reference: record.reference, stage: record.stage };
});
