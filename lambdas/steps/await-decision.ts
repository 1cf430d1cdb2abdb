// Journey step (callback): puts the case in a caseworker queue with the task token that the
// decision API hands back to the journey. When the service standard has passed, the journey
// calls it again with `escalated`, which moves the case to the senior queue and tells the
// citizen why it is late and when to expect an answer.
import { escalatedDueBy } from '../domain/service-standards';
import { ukDate } from '../domain/working-days';
import { METRIC } from '../domain/metrics';
import { moveToStage, renewWait } from './stages';
import { countMetric, serviceOf, step } from './runtime';

export interface AwaitDecisionInput {
  readonly reference: string;
  readonly taskToken: string;
  readonly escalated: boolean;
  readonly standard: { readonly decisionWorkingDays: number };
}

export const handler = step(async ({ reference, taskToken, escalated, standard }: AwaitDecisionInput) => {
  const stage = escalated ? 'escalated' : 'awaiting-decision';
  if (await renewWait(reference, stage, 'decision', taskToken)) return { reference, stage };
  const record = await moveToStage(
    reference,
    stage,
    (current, at) => {
      const queued = { awaiting: 'decision', taskToken, queuedAt: at };
      if (!escalated) return { set: { ...queued, queue: 'awaiting-decision' }, remove: ['delay'] };
      const newDate = escalatedDueBy(serviceOf(current), current.journey, ukDate(new Date(at)));
      return {
        set: {
          ...queued,
          queue: 'senior-review',
          expectedBy: newDate,
          delay: { reason: 'service-standard-passed', days: standard.decisionWorkingDays, newDate, at },
        },
        append: { audit: [{ at, actor: 'journey', action: 'escalated', reason: 'The service standard for a decision passed.' }] },
      };
    },
    (current) => current.taskToken === taskToken,
  );
  if (escalated) countMetric(METRIC.casesEscalated);
  return { reference: record.reference, stage: record.stage };
});
