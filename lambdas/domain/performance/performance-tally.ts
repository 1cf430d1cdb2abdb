// Counting a case towards the service's figures as it moves (received by the checks step, decided
// by the outcome step, each text by the notifier), and what is published from them for citizens'
// statuses: the estimate and where the queues have got to, worked out every 15 minutes.
// Counting is best effort for the case: a figure that cannot be written is logged and counted for
// the alarm, and never fails or holds up the journey (a decided case must not go on hold for it).
import { DECISION_QUEUES, type CaseRecord } from '../cases/case';
import { serviceCodes, requireService } from '../services/catalogue';
import { METRIC, performanceDimensions } from '../shared/metrics';
import { decisionTallies, estimateFrom, estimateWindow, type QueuePositions, type Tally } from './performance';
import type { CaseStore, Clock, Log, Metrics, PerformanceStore } from '../ports';
import type { Journey } from '../shared/reference';
import { readQueue } from '../casework/work-queue';
import { addDays, ukDate } from '../shared/working-days';

export interface PerformanceDeps {
  readonly performance: PerformanceStore;
}

type CountDeps = PerformanceDeps & { readonly metrics: Metrics; readonly log: Log; readonly clock: Clock };

/** Counts a tally once; false when it had been counted already or could not be (logged and counted). */
export async function tally(deps: CountDeps, service: string, journey: Journey, counted: Tally): Promise<boolean> {
  try {
    return await deps.performance.count(service, journey, counted);
  } catch (error) {
    // the reference, so the lost tally can be found and counted by hand
    const reference = 'event' in counted ? counted.event.split('/')[0] : counted.reference;
    deps.log.error('performance figure not counted', { reference, service, journey, kind: counted.kind, on: counted.on, error: (error as Error)?.name });
    deps.metrics.count(METRIC.figuresNotCounted);
    return false;
  }
}

/** A case received: counted on the day it came. */
export const countReceived = (deps: CountDeps, record: CaseRecord): Promise<boolean> =>
  tally(deps, record.service, record.journey, { kind: 'received', reference: record.reference, on: ukDate(new Date(record.createdAt)) });

/**
 * A case decided: counted on the day it was decided (with the working days it took) and no longer
 * open on the day it came; the first time only, its time to decision goes to the metrics. The
 * estimate citizens are shown is worked out by the scheduled run, not here: working it out reads
 * 90 days of figures, which at every decision was most of what a decision cost to read.
 */
export async function countDecision(deps: CountDeps, record: CaseRecord): Promise<void> {
  const facts = record.decisionFacts;
  if (!facts) return;
  const [decided] = await Promise.all(decisionTallies(record.reference, facts).map((counted) => tally(deps, record.service, record.journey, counted)));
  if (decided) {
    const dimensions = performanceDimensions(record.service, record.journey);
    deps.metrics.count(METRIC.workingDaysToDecision, facts.workingDays, dimensions);
    // one per decision, 1 when within the standard: the average is the share within it
    deps.metrics.count(METRIC.decidedWithinStandard, facts.withinStandard ? 1 : 0, dimensions);
  }
}

/**
 * Adds up the figures of the days before today (today is read from its slices) for a week back,
 * and of any older day a tally came for since; a day that cannot be is logged and counted, and the
 * others still are.
 */
async function rollUp(deps: CountDeps, service: string, journey: Journey, at: string): Promise<void> {
  const today = ukDate(deps.clock());
  const recent = Array.from({ length: ROLL_UP_DAYS - 1 }, (_, n) => addDays(today, -(n + 1)));
  let asked: string[] = [];
  try {
    asked = await deps.performance.daysToRollUpAgain(service, journey);
  } catch (error) {
    deps.log.error('figures not added up', { service, journey, error: (error as Error)?.name });
    deps.metrics.count(METRIC.figuresNotCounted);
  }
  for (const day of new Set([...recent, ...asked])) {
    try {
      await deps.performance.rollUp(service, journey, day, at);
    } catch (error) {
      deps.log.error('figures not added up', { service, journey, day, error: (error as Error)?.name });
      deps.metrics.count(METRIC.figuresNotCounted);
    }
  }
}

/** Works out a journey's estimate from the last 90 days' figures and keeps it (unless a newer one is kept). */
export async function refreshEstimate(deps: CountDeps, service: string, journey: Journey): Promise<void> {
  try {
    const now = deps.clock();
    const today = ukDate(now);
    const window = estimateWindow(today);
    const days = await deps.performance.days(service, journey, window.from, window.to);
    await deps.performance.saveEstimate(service, journey, estimateFrom(days, today, now.toISOString()));
  } catch (error) {
    deps.log.error('estimate not worked out', { service, journey, error: (error as Error)?.name });
    deps.metrics.count(METRIC.figuresNotCounted);
  }
}

/** How far back the scheduled run adds up each day's figures, besides the days tallies asked for: a week of runs can be missed. */
export const ROLL_UP_DAYS = 7;

/**
 * Where each service's queues have got to: the day the oldest case still waiting was received,
 * read from the queue index (no personal data); each of the last days' figures added up for the
 * reports; and every journey's estimate worked out again, so it follows the decisions and the 90
 * days move on even on a day with none. Run on a schedule (every 15 minutes).
 */
export async function publishPositions(deps: CountDeps & { readonly store: CaseStore }): Promise<{ journeys: number; waiting: number }> {
  const at = deps.clock().toISOString();
  const positions = new Map<string, { -readonly [Q in keyof QueuePositions]: QueuePositions[Q] }>();
  let waiting = 0;
  for (const queue of DECISION_QUEUES) {
    const { entries } = await readQueue(deps.store, queue);
    for (const entry of entries) {
      const key = `${entry.service}#${entry.journey}`;
      const received = ukDate(new Date(entry.createdAt ?? entry.queuedAt));
      const mine = positions.get(key) ?? {};
      const before = mine[queue];
      mine[queue] = { oldestReceivedOn: before && before.oldestReceivedOn < received ? before.oldestReceivedOn : received, waiting: (before?.waiting ?? 0) + 1 };
      positions.set(key, mine);
      waiting++;
    }
  }
  let journeys = 0;
  for (const service of serviceCodes()) {
    for (const journey of requireService(service).journeys) {
      // an empty queue is said too: nobody waiting is news as well
      await deps.performance.saveQueues(service, journey, positions.get(`${service}#${journey}`) ?? {}, at);
      await rollUp(deps, service, journey, at);
      await refreshEstimate(deps, service, journey);
      journeys++;
    }
  }
  return { journeys, waiting };
}
