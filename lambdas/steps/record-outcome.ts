// Journey step: records an approval or a refusal and what follows from it.
import type { Decision } from '../domain/cases/case';
import { recordOutcome } from '../domain/journeys/journey-steps';
import { countingDeps } from '../adapters/aws/deps';
import { step } from './runtime';

const deps = countingDeps();

export interface RecordOutcomeInput {
  readonly reference: string;
  readonly decision: Decision;
}

export const handler = step(async ({ reference, decision }: RecordOutcomeInput) => {
  const record = await recordOutcome(deps, reference, decision);
  return { reference: record.reference, stage: record.stage };
});
