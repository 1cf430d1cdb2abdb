// A caseworker's decision: claimed on the case with a conditional write (so of two caseworkers
// deciding at once exactly one wins, and a used task token cannot be used again), then handed
// to the waiting journey.
import type { CaseStore } from './case-store';
import type { CaseRecord, Outcome } from './case';
import { PublicError } from './errors';

export interface DecisionRequest {
  readonly outcome: Outcome;
  readonly reason: string;
}

export interface Decider {
  readonly id: string;
  readonly senior: boolean;
}

export interface DecisionDeps {
  readonly store: CaseStore;
  /** hands the decision to the journey; throws a TokenNotUsable when the journey no longer waits for it */
  readonly sendTaskSuccess: (token: string, output: string) => Promise<void>;
  readonly now: () => Date;
}

export class TokenNotUsable extends Error {
  constructor(readonly why: 'timed-out' | 'unknown') {
    super(`the task token is no longer usable (${why})`);
    this.name = 'TokenNotUsable';
  }
}

export async function decide(deps: DecisionDeps, reference: string, who: Decider, request: DecisionRequest) {
  const at = deps.now().toISOString();
  let token = '';
  let claimed: CaseRecord | undefined;
  await deps.store.update(reference, (current) => {
    refuseIfNotDecidable(current, who);
    token = current.taskToken!;
    claimed = current;
    return {
      remove: ['taskToken', 'awaiting', 'queue', 'queuedAt'],
      append: { audit: [{ at, actor: who.id, action: `decided:${request.outcome}`, reason: request.reason }] },
    };
  });
  const decision = { outcome: request.outcome, reason: request.reason, by: who.id, at };
  try {
    await deps.sendTaskSuccess(token, JSON.stringify(decision));
  } catch (error) {
    if (error instanceof TokenNotUsable) {
      await deps.store.update(reference, () => ({ append: { audit: [{ at: deps.now().toISOString(), actor: who.id, action: 'decision-not-applied', reason: 'The journey was no longer waiting for this decision.' }] } }));
      throw new PublicError(
        'conflict',
        'Your decision was not applied: the case passed its service standard while you were deciding and has moved to the senior review queue. Open the case again.',
      );
    }
    // The journey could not be reached: give the case back so the decision can be made again.
    await deps.store.update(reference, (current) =>
      current.taskToken || !claimed ? undefined : { set: { taskToken: token, awaiting: 'decision', queue: claimed.queue, queuedAt: claimed.queuedAt } },
    );
    throw new PublicError('service-unavailable', 'We could not record your decision just now. Nothing was changed. Try again in a minute.');
  }
  return decision;
}

function refuseIfNotDecidable(current: CaseRecord, who: Decider): void {
  if (current.awaiting === 'decision' && current.taskToken) {
    if (current.queue === 'senior-review' && !who.senior) {
      throw new PublicError('forbidden', 'This case passed its service standard and is with the senior review queue. A senior caseworker must decide it.');
    }
    return;
  }
  const lastDecision = [...current.audit].reverse().find((entry) => entry.action.startsWith('decided:'));
  if (current.decision || current.stage === 'approved' || current.stage === 'refused') {
    throw new PublicError('conflict', `This case has already been decided (${current.stage}${lastDecision ? ` by ${lastDecision.actor}` : ''}). It cannot be decided again.`);
  }
  if (lastDecision && (current.stage === 'awaiting-decision' || current.stage === 'escalated')) {
    throw new PublicError('conflict', `${lastDecision.actor} decided this case a moment ago (${lastDecision.action.slice('decided:'.length)}). Your decision was not applied.`);
  }
  if (current.awaiting === 'information') {
    throw new PublicError('conflict', 'This case is waiting for information from the citizen. It returns to the queue when they answer or their time runs out.');
  }
  throw new PublicError('conflict', `This case is not waiting for a decision (it is at "${current.stage}").`);
}
