// A caseworker explains a delay: the reason (in their words) and the new date go on the
// citizen's status, and the citizen hears about it. The journey's own service-standard timer
// keeps running: a delay explains, it does not stop an escalation, and the case stays due by the
// service standard's date in the caseworker queues (expectedBy); the citizen is shown the new date.
// While the case waits for the citizen's information there is nothing of ours to be late: the
// date there is theirs to answer by, and the journey's wait ends on it.
import type { CaseRecord } from './case';
import { PublicError } from './errors';
import { milestoneEvent } from './milestones';
import { announce, type TransitionDeps } from './transitions';

/** What a caseworker sends, checked at the edge (lambdas/http/inputs.ts, `delay`). */
export interface DelayRequest {
  readonly reason: string;
  readonly newDate: string;
}

const OPEN_STAGES = ['received', 'checks-complete', 'awaiting-decision', 'escalated', 'on-hold'];

/** Whether a delay can be explained on the case: only while it is still open. */
export const canExplainDelay = (record: CaseRecord): boolean => OPEN_STAGES.includes(record.stage);

/** Why no delay can be explained on the case now. */
export function whyNoDelay(current: CaseRecord): PublicError {
  if (current.stage === 'information-needed') {
    return new PublicError('conflict', 'This case is waiting for information from the citizen, who must answer by the date they were given. Explain a delay once the case is back with a caseworker.');
  }
  return new PublicError('conflict', `This case has been decided (${current.stage}); there is no delay to explain.`);
}

/** Records the delay on the case and tells the citizen (the "delayed" milestone). */
export async function recordDelay(deps: TransitionDeps, reference: string, by: string, request: DelayRequest, now: Date): Promise<CaseRecord> {
  const at = now.toISOString();
  const { record } = await deps.store.update(reference, (current) => {
    if (!canExplainDelay(current)) throw whyNoDelay(current);
    return {
      set: { delay: { reason: request.reason, newDate: request.newDate, at }, lastMilestoneAt: at },
      append: { audit: [{ at, actor: by, action: 'delay-explained', reason: `${request.reason} (new date ${request.newDate})` }] },
    };
  });
  // Each explained delay is its own milestone event, identified by its place in the audit trail.
  await announce(deps, milestoneEvent(record, 'delayed', `audit-${record.audit.length}`, at));
  return record;
}
