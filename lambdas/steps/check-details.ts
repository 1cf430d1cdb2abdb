// Journey step: automated checks on the details, which may flag the case as complex, and the
// service standard that the caseworker's decision is held to.
import { runAutomatedChecks } from '../domain/automated-checks';
import { planDecision, type DecisionPlan } from '../domain/service-standards';
import { moveToStage } from './stages';
import { serviceOf, step, store } from './runtime';

export interface CheckDetailsInput {
  readonly reference: string;
}

export const handler = step(async ({ reference }: CheckDetailsInput): Promise<DecisionPlan & { complex: boolean }> => {
  const current = await store.require(reference);
  const service = serviceOf(current);
  // An appeal was checked when it was made (in time, against a refusal); its details are the grounds.
  const checks = current.journey === 'appeal' ? { complex: false, flags: [] } : runAutomatedChecks(service, current.details);
  const plan = planDecision(service, current.journey, checks.complex, new Date());
  await moveToStage(reference, 'checks-complete', () => ({ set: { checks, expectedBy: plan.expectedBy } }));
  return { ...plan, complex: checks.complex };
});
