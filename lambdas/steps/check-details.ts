// Journey step: automated checks on the details, which may flag the case as complex, and the
// service standard that the caseworker's decision is held to.
import { runAutomatedChecks } from '../domain/automated-checks';
import { planDecision, type DecisionPlan } from '../domain/service-standards';
import type { CaseRecord } from '../domain/case';
import { moveToStage } from './stages';
import { serviceOf, step } from './runtime';

export interface CheckDetailsInput {
  readonly reference: string;
}

function check(record: CaseRecord, now: Date) {
  // An appeal was checked when it was made (in time, against a refusal); its details are the grounds.
  const checks = record.journey === 'appeal' ? { complex: false, flags: [] } : runAutomatedChecks(serviceOf(record), record.details);
  return { checks, plan: planDecision(serviceOf(record), record.journey, checks.complex, now) };
}

export const handler = step(async ({ reference }: CheckDetailsInput): Promise<DecisionPlan & { complex: boolean }> => {
  const now = new Date();
  let result: ReturnType<typeof check> | undefined;
  // Checked inside the write, on the case it reads, so the step reads the case once.
  const record = await moveToStage(reference, 'checks-complete', (current) => {
    result = check(current, now);
    return { set: { checks: result.checks, expectedBy: result.plan.expectedBy } };
  });
  result ??= check(record, now); // a retry whose write had landed
  return { ...result.plan, complex: result.checks.complex };
});
