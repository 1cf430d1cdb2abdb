// A caseworker explains a delay: the reason (in their words) and the new date go on the
// citizen's status, and the citizen hears about it. The journey's own service-standard timer
// keeps running: a delay explains, it does not stop an escalation.
import type { CaseRecord } from './case';
import { PublicError } from './errors';
import { addDays } from './working-days';
import { milestoneEvent } from './milestones';
import { announce, type TransitionDeps } from './transitions';

export interface DelayRequest {
  readonly reason: string;
  readonly newDate: string;
}

const OPEN_STAGES = ['received', 'checks-complete', 'awaiting-decision', 'information-needed', 'escalated', 'on-hold'];

export function checkDelay(body: Record<string, unknown>, today: string): DelayRequest {
  const problems = [];
  const reason = typeof body.reason === 'string' ? body.reason.normalize('NFC').trim() : '';
  if (!reason || [...reason].length > 500 || /[\u0000-\u001f\u007f-\u009f]/.test(reason)) {
    problems.push({ field: 'reason', message: 'Say why the case is delayed, in plain words the citizen will read (500 characters or fewer).' });
  }
  const newDate = typeof body.newDate === 'string' ? body.newDate : '';
  const parsed = Date.parse(`${newDate}T12:00:00Z`);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(newDate) && !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === newDate;
  if (!valid || newDate <= today || newDate > addDays(today, 366)) {
    problems.push({ field: 'newDate', message: 'Give the new date as year-month-day, after today and within a year.' });
  }
  if (problems.length) throw new PublicError('invalid-request', `Correct: ${problems.map((p) => p.field).join(', ')}.`, problems);
  return { reason, newDate };
}

/** Records the delay on the case and tells the citizen (the "delayed" milestone). */
export async function recordDelay(deps: TransitionDeps, reference: string, by: string, request: DelayRequest): Promise<CaseRecord> {
  const at = deps.clock().toISOString();
  const { record } = await deps.store.update(reference, (current) => {
    if (!OPEN_STAGES.includes(current.stage)) {
      throw new PublicError('conflict', `This case has been decided (${current.stage}); there is no delay to explain.`);
    }
    return {
      set: { delay: { reason: request.reason, newDate: request.newDate, at }, expectedBy: request.newDate },
      append: { audit: [{ at, actor: by, action: 'delay-explained', reason: `${request.reason} (new date ${request.newDate})` }] },
    };
  });
  // Each explained delay is its own milestone event, identified by its place in the audit trail.
  await announce(deps, milestoneEvent(record, 'delayed', `audit-${record.audit.length}`, at));
  return record;
}
