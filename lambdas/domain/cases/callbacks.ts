// Handing something to a journey that waits on a case (a caseworker's decision, a citizen's
// answer): the wait is claimed on the case with a conditional write first, so of two callers
// exactly one wins and a used task token cannot be used again; then the journey gets it.
import type { CaseChange } from './case-change';
import type { AuditEntry, CaseRecord } from './case';
import { PublicError, TokenNotUsable } from '../shared/errors';
import type { CaseStore, Clock, JourneyEngine } from '../ports';

export interface CallbackDeps {
  readonly store: CaseStore;
  readonly journeys: Pick<JourneyEngine, 'answer'>;
  readonly clock: Clock;
}

export interface Completion {
  /** throws a PublicError when this caller may not complete the wait on this case */
  readonly check: (current: CaseRecord) => void;
  /** what the claim records on the case besides releasing the wait */
  readonly change: CaseChange;
  /** what the journey gets, from the case as it was claimed */
  readonly output: (claimed: CaseRecord) => unknown;
  /** recorded, and told to the caller, when the journey stopped waiting a moment earlier */
  readonly notApplied: (why: TokenNotUsable['why']) => { readonly audit: AuditEntry; readonly error: PublicError };
}

export async function completeWait(deps: CallbackDeps, reference: string, completion: Completion): Promise<void> {
  let claimed: CaseRecord | undefined;
  const { record: afterClaim } = await deps.store.update(reference, (current) => {
    completion.check(current);
    claimed = current;
    return { ...completion.change, remove: [...(completion.change.remove ?? []), 'taskToken', 'awaiting', 'queue', 'queuedAt'] };
  });
  const token = claimed!.taskToken!;
  try {
    await deps.journeys.answer(token, completion.output(claimed!));
  } catch (error) {
    if (error instanceof TokenNotUsable) {
      const { audit, error: told } = completion.notApplied(error.why);
      await deps.store.update(reference, () => ({ append: { audit: [audit] } }));
      throw told;
    }
    // The journey could not be reached: give the wait back so it can be completed again, but
    // only if nothing has happened since the claim (the call may have landed after all).
    await deps.store.update(reference, (current) =>
      current.version !== afterClaim.version ? undefined : { set: { taskToken: token, awaiting: claimed!.awaiting, queue: claimed!.queue, queuedAt: claimed!.queuedAt } },
    );
    throw new PublicError('service-unavailable', 'We could not record this just now. Nothing was changed. Try again in a minute.');
  }
}
