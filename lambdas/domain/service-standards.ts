// What a service standard means for one case: the date the citizen is told to expect an answer
// by, and how long (in seconds) a journey waits before it escalates instead of waiting silently.
import type { Service } from './catalogue';
import { serviceStandard } from './catalogue';
import type { Journey } from './reference';
import { addWorkingDays, deadline } from './working-days';

export interface DecisionPlan {
  /** the date a decision is promised by (YYYY-MM-DD) */
  readonly expectedBy: string;
  readonly decisionSeconds: number;
  /** from now until the end of the senior caseworker's extra time after escalation */
  readonly escalatedSeconds: number;
  readonly decisionWorkingDays: number;
  readonly escalatedWorkingDays: number;
}

export function planDecision(service: Service, journey: Journey, complex: boolean, now: Date): DecisionPlan {
  const standard = serviceStandard(service, journey);
  const days = complex ? standard.complexDecisionWorkingDays : standard.decisionWorkingDays;
  const decision = deadline(now, days);
  const escalated = deadline(now, days + standard.escalatedWorkingDays);
  return {
    expectedBy: decision.date,
    decisionSeconds: decision.seconds,
    escalatedSeconds: Math.max(1, escalated.seconds - decision.seconds),
    decisionWorkingDays: days,
    escalatedWorkingDays: standard.escalatedWorkingDays,
  };
}

/** When a citizen asked for information now must answer by: the date they are told, and the wait. */
export function informationDeadline(service: Service, journey: Journey, now: Date): { date: string; seconds: number } {
  return deadline(now, serviceStandard(service, journey).informationWorkingDays);
}

export function escalatedDueBy(service: Service, journey: Journey, today: string): string {
  return addWorkingDays(today, serviceStandard(service, journey).escalatedWorkingDays);
}
