// Journey step: records an approval or a refusal, with what follows from it for the citizen:
// how long a permit lasts (and when to remind them to renew), or until when a refusal can be
// appealed. An appeal's outcome is final and has neither.
import { addDays, addMonths, ukDate } from '../domain/working-days';
import type { CaseRecord, Decision } from '../domain/case';
import type { Service } from '../domain/catalogue';
import { moveToStage } from './stages';
import { serviceOf, step } from './runtime';

export interface RecordOutcomeInput {
  readonly reference: string;
  readonly decision: Decision;
}

export const handler = step(async ({ reference, decision }: RecordOutcomeInput) => {
  const stage = decision.outcome === 'approve' ? 'approved' : 'refused';
  const record = await moveToStage(reference, stage, (current, at) => {
    const today = ukDate(new Date(at));
    return {
      set: { decision, ...(current.journey === 'appeal' ? {} : followUp(stage, current, serviceOf(current), today)) },
      remove: ['queue', 'queuedAt', 'awaiting', 'taskToken', 'delay', 'expectedBy'],
    };
  });
  return { reference: record.reference, stage: record.stage };
});

function followUp(stage: 'approved' | 'refused', current: CaseRecord, service: Service, today: string) {
  if (stage === 'refused') return { appealBy: addDays(today, service.appealWindowDays) };
  // A renewal runs on from the permit it renews, so renewing early loses nothing.
  const from = current.previousExpiresOn && current.previousExpiresOn > today ? current.previousExpiresOn : today;
  const expiresOn = addMonths(from, service.validityMonths);
  const remindOn = addDays(expiresOn, -service.renewalReminderDays);
  // The reminder waits in the renewal-due queue until its day (read by scheduled/renewal-reminders).
  return { expiresOn, queue: 'renewal-due', queuedAt: `${remindOn}T09:00:00.000Z` };
}
