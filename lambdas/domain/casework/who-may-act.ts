// Segregation of duties: the one rule of who may act on a case, for every caseworker action
// (decide, ask for information, explain a delay, and whatever comes later), in the console and the
// API alike. Whether the case is open to the action at all is each action's own rule; this says
// whether it is open to this caseworker.
import type { CaseRecord } from '../cases/case';
import { PublicError } from '../shared/errors';
import type { Caseworker } from './sessions';

/** Why `who` may not act on the case, or undefined when they may. */
export function whyNotYours(current: Pick<CaseRecord, 'journey' | 'originalDecisionBy' | 'links' | 'queue' | 'stage'>, who: Caseworker): PublicError | undefined {
  // whoever made the decision appealed against takes no part in the appeal: not its decision, not its requests, not its delays
  if (current.journey === 'appeal' && current.originalDecisionBy === who.id) {
    return new PublicError(
      'forbidden',
      `You made the decision that is being appealed (${current.links?.appeals ?? 'the first decision'}). Someone else must deal with the appeal.`,
    );
  }
  // a case past its service standard is a senior caseworker's, whatever is done on it
  if ((current.queue === 'senior-review' || current.stage === 'escalated') && !who.senior) {
    return new PublicError('forbidden', 'This case passed its service standard and is with the senior review queue. A senior caseworker must deal with it.');
  }
  return undefined;
}
