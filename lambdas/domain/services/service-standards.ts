// What a service standard means for one case: the date the citizen is told to expect an answer
// by, and how long (in seconds) a journey waits before it escalates instead of waiting silently.
import type { Service } from './catalogue';
import { serviceStandard } from './catalogue';
import type { Journey } from '../shared/reference';
import type { StandardClock } from '../cases/case';
import { addWorkingDays, deadline, ukDate, untilEndOf, workingDaysBetween } from '../shared/working-days';

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

/** The service-standard clock of a case whose decision has just been planned. */
export const startClock = (plan: DecisionPlan): StandardClock => ({ dueOn: plan.expectedBy, workingDays: plan.decisionWorkingDays, pausedWorkingDays: 0 });

/** The clock stops while a request for information is open (a clock already stopped stays as it was). */
export const pauseClock = (clock: StandardClock, at: string): StandardClock => (clock.pausedAt ? clock : { ...clock, pausedAt: at });

/**
 * The clock starts again when the citizen answers (or their time to answer runs out): the due date
 * moves on by exactly the working days the request was open, which performance does not count either.
 */
export function resumeClock(clock: StandardClock, now: Date): StandardClock {
  if (!clock.pausedAt) return clock;
  const { pausedAt: _stopped, ...running } = clock;
  const days = workingDaysBetween(ukDate(new Date(clock.pausedAt)), ukDate(now));
  const dueOn = addWorkingDays(clock.dueOn, days);
  return { ...running, dueOn, pausedWorkingDays: clock.pausedWorkingDays + days, lastPause: { workingDays: days, from: clock.dueOn, to: dueOn } };
}

/** The plan for a decision due on the clock's date: the wait until then, and the senior caseworker's extra time after it. */
export function planFromClock(service: Service, journey: Journey, clock: StandardClock, now: Date): DecisionPlan {
  const standard = serviceStandard(service, journey);
  const decision = untilEndOf(clock.dueOn, now);
  // a date already past (the standard had passed before the request) escalates at once, and the
  // senior caseworker then has their full extra time from now
  const escalated = Math.max(untilEndOf(addWorkingDays(clock.dueOn, standard.escalatedWorkingDays), now).seconds, decision.seconds > 1 ? 0 : deadline(now, standard.escalatedWorkingDays).seconds);
  return {
    expectedBy: clock.dueOn,
    decisionSeconds: decision.seconds,
    escalatedSeconds: Math.max(1, escalated - decision.seconds),
    decisionWorkingDays: clock.workingDays,
    escalatedWorkingDays: standard.escalatedWorkingDays,
  };
}
