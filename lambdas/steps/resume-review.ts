// Journey step: the citizen answered a request for information, or the time to answer ran out.
// Either way the case goes back to a caseworker with a fresh service standard.
import { planDecision } from '../domain/service-standards';
import { step, store, serviceOf, logger } from './runtime';

export interface ResumeReviewInput {
  readonly reference: string;
  readonly answered: boolean;
}

export const handler = step(async ({ reference, answered }: ResumeReviewInput) => {
  const now = new Date();
  let plan = undefined as ReturnType<typeof planDecision> | undefined;
  await store.update(reference, (current) => {
    plan = planDecision(serviceOf(current), current.journey, Boolean(current.checks?.complex), now);
    if (current.awaiting !== 'information') return undefined; // a retry after the write landed
    return {
      set: { expectedBy: plan.expectedBy },
      remove: ['awaiting', 'taskToken'],
      append: {
        audit: [{ at: now.toISOString(), actor: 'journey', action: answered ? 'information-received' : 'information-not-received', reason: answered ? undefined : 'The time to answer passed.' }],
      },
    };
  });
  logger.info('review resumed', { reference, answered });
  return plan!;
});
