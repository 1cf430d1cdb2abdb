// Journey step: the citizen answered a request for information, or the time to answer ran out.
// Either way the case goes back to a caseworker with a fresh service standard.
import { resumeReview } from '../domain/journeys/journey-steps';
import { caseStore, clock } from '../adapters/aws/deps';
import { logger, step } from './runtime';

// Not a change of stage, so no milestone: the case store and the clock are all it needs.
const deps = { store: caseStore(), clock };

export interface ResumeReviewInput {
  readonly reference: string;
  /** the citizen's answer, or the States.Timeout error when none came in time */
  readonly information?: { readonly Error?: string };
}

export const handler = step(async ({ reference, information }: ResumeReviewInput) => {
  const answered = !information?.Error;
  const standard = await resumeReview(deps, reference, answered);
  logger.info('review resumed', { reference, answered });
  return standard;
});
