// What each step of a journey does to its case (statemachines/journey.asl.json names the steps;
// lambdas/steps/ holds their thin handlers). Every step is idempotent: Step Functions retries a
// step whose write may already have landed, and each recognises its own earlier write.
import { runAutomatedChecks } from '../services/automated-checks';
import type { CaseRecord, Decision } from '../cases/case';
import { requireService, type Service } from '../services/catalogue';
import { METRIC } from '../shared/metrics';
import { decisionFacts } from '../performance/performance';
import { countDecision, countReceived, type PerformanceDeps } from '../performance/performance-tally';
import { escalatedDueBy, informationDeadline, pauseClock, planDecision, planFromClock, resumeClock, startClock, type DecisionPlan } from '../services/service-standards';
import { moveToStage, type TransitionDeps } from '../cases/transitions';
import { expiryMoment, hasExpired } from '../services/permits';
import { addDays, addMonths, ukDate } from '../shared/working-days';

export type StepDeps = TransitionDeps;
/** What the steps that count a case towards the service's figures work with (the checks, the outcome). */
export type CountingStepDeps = StepDeps & PerformanceDeps;

/** What the journey holds the decision to: the plan's timeouts, and whether the case is complex. */
export type DecisionStandard = DecisionPlan & { readonly complex: boolean };

function checksOf(record: CaseRecord, now: Date) {
  const service = requireService(record.service);
  // An appeal was checked when it was made (in time, against a refusal); its details are the grounds.
  const checks = record.journey === 'appeal' ? { complex: false, flags: [] } : runAutomatedChecks(service, record.details);
  // A journey restarted from on hold keeps the clock it had (started again if it was stopped for
  // the citizen): the standard runs from when the case came, not from the restart.
  const clock = record.standard ? resumeClock(record.standard, now) : startClock(planDecision(service, record.journey, checks.complex, now));
  return { checks, clock, plan: planFromClock(service, record.journey, clock, now) };
}

/** Automated checks, which may flag the case as complex, and the service standard it is held to. */
export async function checkCase(deps: CountingStepDeps, reference: string): Promise<DecisionStandard> {
  const now = deps.clock();
  let result: ReturnType<typeof checksOf> | undefined;
  // Checked inside the write, on the case it reads, so the step reads the case once.
  const { record } = await moveToStage(deps, reference, 'checks-complete', (current) => {
    result = checksOf(current, now);
    return { set: { checks: result.checks, expectedBy: result.plan.expectedBy, standard: result.clock } };
  });
  result ??= checksOf(record, now); // a retry whose write had landed
  // counted here, not when submitted: a step is retried until it lands, a request is not
  await countReceived(deps, record);
  return { ...result.plan, complex: result.checks.complex };
}

export interface DecisionWait {
  readonly reference: string;
  readonly taskToken: string;
  readonly escalated: boolean;
  readonly standard: { readonly decisionWorkingDays: number };
}

/**
 * Puts the case in a caseworker queue with the task token the decision API hands back. When the
 * service standard has passed (`escalated`), the case goes to the senior queue and the citizen
 * is told why it is late and when to expect an answer.
 */
export async function queueForDecision(deps: StepDeps, { reference, taskToken, escalated, standard }: DecisionWait): Promise<CaseRecord> {
  const stage = escalated ? 'escalated' : 'awaiting-decision';
  const renewed = await renewWait(deps, reference, stage, 'decision', taskToken);
  if (renewed) return renewed;
  const { record, changed } = await moveToStage(
    deps,
    reference,
    stage,
    (current, at) => {
      const queued = { awaiting: 'decision', taskToken, queuedAt: at } as const;
      if (!escalated) return { set: { ...queued, queue: 'awaiting-decision' }, remove: ['delay'] };
      const newDate = escalatedDueBy(requireService(current.service), current.journey, ukDate(new Date(at)));
      return {
        set: { ...queued, queue: 'senior-review', expectedBy: newDate, delay: { reason: 'service-standard-passed', days: standard.decisionWorkingDays, newDate, at } },
        append: { audit: [{ at, actor: 'journey', action: 'escalated', reason: 'The service standard for a decision passed.' }] },
      };
    },
    (current) => current.taskToken === taskToken,
  );
  // once per case: a case escalated again after a request for information missed the standard once
  if (escalated && changed && record.history.filter((entry) => entry.stage === 'escalated').length === 1) deps.metrics.count(METRIC.casesEscalated);
  return record;
}

export interface InformationWait {
  readonly reference: string;
  readonly taskToken: string;
  readonly request: { readonly reason: string; readonly by: string };
}

/**
 * A caseworker asked the citizen for more information: the case leaves the caseworker queue and
 * shows the caseworker's words and the date to answer by; the task token waits for the answer.
 */
export async function askForInformation(deps: StepDeps, { reference, taskToken, request }: InformationWait): Promise<CaseRecord> {
  const renewed = await renewWait(deps, reference, 'information-needed', 'information', taskToken);
  if (renewed) return renewed;
  const { record } = await moveToStage(
    deps,
    reference,
    'information-needed',
    (current, at) => ({
      set: {
        awaiting: 'information',
        taskToken,
        informationRequest: { reason: request.reason, by: request.by, at },
        expectedBy: informationDeadline(requireService(current.service), current.journey, new Date(at)).date,
        // the service standard stops while we wait for the citizen
        ...(current.standard ? { standard: pauseClock(current.standard, at) } : {}),
      },
      remove: ['queue', 'queuedAt', 'delay'],
    }),
    (current) => current.taskToken === taskToken,
  );
  return record;
}

/**
 * A callback wait entered again after the local platform restarted (or after a retry whose first
 * token was lost): the case already waits at `stage`, so only the task token changes (no new
 * history entry, no second milestone). Returns the case when that was so.
 */
async function renewWait(deps: StepDeps, reference: string, stage: CaseRecord['stage'], awaiting: 'decision' | 'information', taskToken: string): Promise<CaseRecord | undefined> {
  const { record, changed } = await deps.store.update(reference, (current) =>
    current.stage === stage && current.awaiting === awaiting && current.taskToken && current.taskToken !== taskToken ? { set: { taskToken } } : undefined,
  );
  if (!changed) return undefined;
  deps.log.info('wait renewed', { reference, stage });
  return record;
}

/**
 * The citizen answered a request for information, or the time to answer ran out: either way the
 * case goes back to a caseworker, and the service-standard clock starts again, its date moved on
 * by the working days we waited. Not a change of stage: the decision wait that follows moves the
 * case to "awaiting decision". (A case from before the clock was kept gets a fresh standard.)
 */
export async function resumeReview(deps: Pick<StepDeps, 'store' | 'clock'>, reference: string, answered: boolean): Promise<DecisionStandard> {
  const now = deps.clock();
  const at = now.toISOString();
  let plan: DecisionPlan | undefined;
  const { record } = await deps.store.update(reference, (latest) => {
    const service = requireService(latest.service);
    const clock = latest.standard && resumeClock(latest.standard, now);
    plan = clock ? planFromClock(service, latest.journey, clock, now) : planDecision(service, latest.journey, Boolean(latest.checks?.complex), now);
    // A retry after this step's write landed: its audit entry follows the latest request.
    const request = latest.audit.findLastIndex((entry) => entry.action === 'decided:request-information');
    if (latest.audit.slice(request + 1).some((entry) => entry.action === 'information-received' || entry.action === 'information-not-received')) return undefined;
    return {
      set: { expectedBy: plan.expectedBy, ...(clock ? { standard: clock } : {}) },
      // an answer has already released the wait; a timeout has not
      remove: latest.awaiting === 'information' ? ['awaiting', 'taskToken'] : [],
      append: {
        audit: [
          answered
            ? { at, actor: 'journey', action: 'information-received' }
            : { at, actor: 'journey', action: 'information-not-received', reason: 'The time to answer passed.' },
        ],
      },
    };
  });
  return { ...plan!, complex: Boolean(record.checks?.complex) };
}

/**
 * Records an approval or a refusal, with what follows from it for the citizen: how long a permit
 * lasts (and when to remind them to renew), or until when a refusal can be appealed. An appeal's
 * outcome is final and has neither.
 */
export async function recordOutcome(deps: CountingStepDeps, reference: string, decision: Decision): Promise<CaseRecord> {
  const stage = decision.outcome === 'approve' ? 'approved' : 'refused';
  const { record } = await moveToStage(deps, reference, stage, (current, at) => ({
    set: {
      decision,
      // worked out with the write, from the case as it was decided, so a retry counts the same
      decisionFacts: decisionFacts(current, decision.at),
      ...(current.journey === 'appeal' ? {} : followUp(stage, current, requireService(current.service), ukDate(new Date(at)))),
    },
    remove: ['queue', 'queuedAt', 'awaiting', 'taskToken', 'delay', 'expectedBy'],
  }));
  await countDecision(deps, record);
  return record;
}

/** What an approval or refusal sets besides the decision: the permit's end and reminder, or the time to appeal. */
export function followUp(stage: 'approved' | 'refused', current: CaseRecord, service: Service, today: string) {
  if (stage === 'refused') return { appealBy: addDays(today, service.appealWindowDays) };
  // A renewal runs on from the permit it renews, so renewing early loses nothing.
  const from = current.previousExpiresOn && current.previousExpiresOn > today ? current.previousExpiresOn : today;
  const expiresOn = addMonths(from, service.validityMonths);
  const remindOn = addDays(expiresOn, -service.renewalReminderDays);
  // The reminder waits in the renewal-due queue until its day (read by followPermits below).
  return { expiresOn, queue: 'renewal-due', queuedAt: `${remindOn}T09:00:00.000Z` } as const;
}

/**
 * A step kept failing. The case is never lost: it shows the citizen a plain "on hold" status,
 * lands in the on-hold queue for the team, and counts towards the alarm (cases/transitions.ts).
 */
export async function putOnHold(deps: StepDeps, reference: string, failure?: { readonly Error?: string }): Promise<string> {
  // Only the error's name: a cause can carry data from the case.
  const error = String(failure?.Error ?? 'unknown').slice(0, 100);
  await moveToStage(deps, reference, 'on-hold', (_current, at) => ({
    set: { queue: 'on-hold', queuedAt: at },
    remove: ['awaiting', 'taskToken'],
    append: { audit: [{ at, actor: 'journey', action: 'put-on-hold', reason: `A journey step failed: ${error}` }] },
  }));
  return error;
}

/**
 * A granted permit's life after approval (domain/services/permits.ts): on its reminder day it moves to
 * "renewal due" and the citizen is told, once; the day after its end it moves to "expired", leaves
 * the renewal-due queue, and the citizen is told, once. A permit waits in the renewal-due queue
 * keyed by the moment of its next move (its reminder day, then its expiry), so only what is due is
 * read; each move re-keys it into the future or takes it out of the queue, so each page is read
 * from the start. A permit the job reaches only after its end (the job stopped for longer than the
 * reminder's notice) expires without a reminder about a date gone by. Bounded per run.
 */
export async function followPermits(deps: StepDeps, upTo: string): Promise<{ reminded: number; expired: number; failed: number }> {
  const today = ukDate(new Date(upTo));
  const failed = new Set<string>();
  let reminded = 0;
  let expired = 0;
  for (let page = 0; page < 50; page++) {
    const due = (await deps.store.due('renewal-due', upTo, 100 + failed.size)).filter((reference) => !failed.has(reference));
    if (due.length === 0) break;
    for (const reference of due) {
      try {
        const current = await deps.store.get(reference);
        // the queue index can lag behind the table: a case read again is recognised, not counted
        if (!current || current.queue !== 'renewal-due') continue;
        if (hasExpired(current, today)) {
          const { changed } = await moveToStage(deps, reference, 'expired', () => ({ remove: ['queue', 'queuedAt'] }), (latest) => latest.queue !== 'renewal-due' || !hasExpired(latest, today), current);
          if (changed) expired++;
        } else if (current.stage === 'approved' && current.expiresOn) {
          const expiresOn = current.expiresOn;
          const { changed } = await moveToStage(deps, reference, 'renewal-due', () => ({ set: { queuedAt: expiryMoment(expiresOn) } }), (latest) => latest.stage !== 'approved' || latest.queue !== 'renewal-due', current);
          if (changed) reminded++;
        } else {
          // nothing to do yet: keyed by its expiry (or, with no end date, out of the queue), so it is not read again before then
          await deps.store.update(
            reference,
            (latest) => {
              if (latest.queue !== 'renewal-due') return undefined;
              return latest.expiresOn ? { set: { queuedAt: expiryMoment(latest.expiresOn) } } : { remove: ['queue', 'queuedAt'] };
            },
            { from: current },
          );
        }
      } catch (error) {
        failed.add(reference); // tried again next run
        deps.log.error('permit not moved on', { reference, error: (error as Error)?.name });
      }
    }
  }
  return { reminded, expired, failed: failed.size };
}
