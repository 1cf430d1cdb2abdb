// A caseworker explains a delay: the reason (in their words) and the new date go on the
// citizen's status, and the citizen hears about it. The journey's own service-standard timer
// keeps running: a delay explains, it does not stop an escalation, and the case stays due by the
// service standard's date in the caseworker queues (expectedBy); the citizen is shown the new date.
// While the case waits for the citizen's information there is nothing of ours to be late: the
// date there is theirs to answer by, and the journey's wait ends on it.
import { DECIDED_STAGES, citizensDate, type CaseRecord } from '../cases/case';
import { PublicError } from '../shared/errors';
import { readableDate } from '../services/content';
import { pendingDecision } from './decisions';
import { milestoneEvent } from '../cases/milestones';
import { announce, type TransitionDeps } from '../cases/transitions';
import type { Caseworker } from './sessions';
import { whyNotYours } from './who-may-act';

/** What a caseworker sends, checked at the edge (lambdas/http/inputs.ts, `delay`). */
export interface DelayRequest {
  readonly reason: string;
  readonly newDate: string;
}

// Only while a caseworker owes the decision: a case is queued again (and a delay on it forgotten)
// after its checks, and after its journey is restarted from on hold, so a delay explained before
// then would vanish from the citizen's status. An escalation explains itself, with its own date.
const WAITING_FOR_US = ['awaiting-decision', 'escalated'];

/** Whether a delay can be explained on the case now (by someone; whyNotDelayable says whether by `who`). */
export const canExplainDelay = (record: CaseRecord): boolean => WAITING_FOR_US.includes(record.stage) && !pendingDecision(record);

/** Why `who` cannot explain a delay on the case now, or undefined when they can: the API refuses with it, the console says it. */
export const whyNotDelayable = (record: CaseRecord, who: Caseworker): PublicError | undefined => (canExplainDelay(record) ? whyNotYours(record, who) : whyNoDelay(record));

/** A new date that is no later than the one the citizen has is not a delay. */
export function delayDateProblem(record: CaseRecord, newDate: string): string | undefined {
  const given = citizensDate(record);
  return given && newDate <= given ? `Give a date after ${readableDate(given, 'en')}, the date the citizen has now: a delay moves it later.` : undefined;
}

/** Why no delay can be explained on the case now. */
export function whyNoDelay(current: CaseRecord): PublicError {
  if (pendingDecision(current)) return new PublicError('conflict', 'A decision on this case is being recorded: there is no delay to explain.');
  if (current.stage === 'information-needed') {
    return new PublicError('conflict', 'This case is waiting for information from the citizen, who must answer by the date they were given. Explain a delay once the case is back with a caseworker.');
  }
  if (DECIDED_STAGES.includes(current.stage)) {
    return new PublicError('conflict', `This case has been decided (${current.stage}); there is no delay to explain.`);
  }
  return new PublicError('conflict', 'A delay can be explained only on a case waiting for a decision.');
}

/** Records the delay on the case and tells the citizen (the "delayed" milestone). */
export async function recordDelay(deps: TransitionDeps, reference: string, who: Caseworker, request: DelayRequest, now: Date): Promise<CaseRecord> {
  const at = now.toISOString();
  const by = who.id;
  const { record } = await deps.store.update(reference, (current) => {
    const refused = whyNotDelayable(current, who);
    if (refused) throw refused;
    const problem = delayDateProblem(current, request.newDate);
    if (problem) throw new PublicError('invalid-request', problem, [{ field: 'newDate', message: problem }]);
    return {
      set: { delay: { reason: request.reason, newDate: request.newDate, at }, lastMilestoneAt: at },
      append: { audit: [{ at, actor: by, action: 'delay-explained', reason: `${request.reason} (new date ${request.newDate})` }] },
    };
  });
  // Each explained delay is its own milestone event, identified by its place in the audit trail.
  await announce(deps, milestoneEvent(record, 'delayed', `audit-${record.audit.length}`, at));
  return record;
}
