// Journey step: the citizen answered a request for information, or the time to answer ran out.
// Either way the case goes back to a caseworker with a fresh service standard.
import { planDecision } from '../domain/service-standards';
import { step, store, serviceOf, logger } from './runtime';

export interface ResumeReviewInput {
  readonly reference: string;
  /** the citizen's answer, or the States.Timeout error when none came in time */
  readonly information?: { readonly Error?: string };
}

export const handler = step(async ({ reference, information }: ResumeReviewInput) => {
  const answered = !information?.Error;
  const now = new Date();
  let plan: ReturnType<typeof planDecision> | undefined;
  const { record } = await store.update(reference, (latest) => {
    plan = planDecision(serviceOf(latest), latest.journey, Boolean(latest.checks?.complex), now);
    // A retry after this step's write landed: its audit entry follows the latest request.
    const request = latest.audit.findLastIndex((entry) => entry.action === 'decided:request-information');
    if (latest.audit.slice(request + 1).some((entry) => entry.action === 'information-received' || entry.action === 'information-not-received')) return undefined;
    return {
      set: { expectedBy: plan.expectedBy },
      // an answer has already released the wait; a timeout has not
      remove: latest.awaiting === 'information' ? ['awaiting', 'taskToken'] : [],
      append: {
        audit: [
          answered
            ? { at: now.toISOString(), actor: 'journey', action: 'information-received' }
            : { at: now.toISOString(), actor: 'journey', action: 'information-not-received', reason: 'The time to answer passed.' },
        ],
      },
    };
  });
  logger.info('review resumed', { reference, answered });
  return { ...plan!, complex: Boolean(record.checks?.complex) };
});
