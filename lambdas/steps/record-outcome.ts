// Journey step: records an approval or a refusal, with what follows from it for the citizen:
// how long a permit lasts, or until when a refusal can be appealed.
import { ukDate } from '../domain/working-days';
import type { Decision } from '../domain/case';
import { moveToStage } from './stages';
import { serviceOf, step } from './runtime';

export interface RecordOutcomeInput {
  readonly reference: string;
  readonly decision: Decision;
}

export const handler = step(async ({ reference, decision }: RecordOutcomeInput) => {
  const stage = decision.outcome === 'approve' ? 'approved' : 'refused';
  const record = await moveToStage(reference, stage, (current, at) => {
    const service = serviceOf(current);
    const today = ukDate(new Date(at));
    const followUp =
      stage === 'approved'
        ? { expiresOn: addMonths(today, service.validityMonths) }
        : { appealBy: addDays(today, service.appealWindowDays) };
    return {
      set: { decision, ...followUp },
      remove: ['queue', 'queuedAt', 'awaiting', 'taskToken', 'delay', 'expectedBy'],
    };
  });
  return { reference: record.reference, stage: record.stage };
});

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}
