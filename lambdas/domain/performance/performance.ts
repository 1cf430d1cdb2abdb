// How long decisions take, from the service's own cases: what each case counts towards (its
// tallies), the figures of a day, the estimate a citizen is shown and the published performance.
// Counting is incremental and once per case: each tally is added to its day's figures by the
// performance store, which remembers what it has counted (a retried step or a milestone
// delivered twice adds nothing). Nothing here names a person: references only go into the
// store's memory of what it counted, never into a figure.
import type { DecisionFacts, DecisionQueue, StandardClock } from '../cases/case';
import type { Journey } from '../shared/reference';
import { addDays, ukDate, workingDaysBetween } from '../shared/working-days';

/** Estimates are shown to citizens only from this many decided cases: fewer says too little. */
export const ESTIMATE_MIN_CASES = 30;
/** Published figures computed from fewer cases than this are marked as such. */
export const FEW_CASES = 10;
/** Estimates and the headline figures cover the cases decided in this many days, today included. */
export const ESTIMATE_WINDOW_DAYS = 90;
/** The published table goes back this many calendar months, this one included. */
export const PUBLISHED_MONTHS = 12;

/** One thing counted once, on one day of one service's journey. */
export type Tally =
  | { readonly kind: 'received'; readonly reference: string; readonly on: string }
  | { readonly kind: 'decided'; readonly reference: string; readonly on: string; readonly workingDays: number; readonly withinStandard: boolean }
  /** a case received on `on` has been decided: it is no longer open */
  | { readonly kind: 'closed'; readonly reference: string; readonly on: string }
  | { readonly kind: 'text'; readonly event: string; readonly on: string; readonly sent: boolean }
  /** the SMS provider's receipt for a text: it reached the phone, or it could not */
  | { readonly kind: 'delivery'; readonly event: string; readonly on: string; readonly delivered: boolean };

/** What the store remembers a tally by, so it is never counted twice. */
export function tallyKey(tally: Tally): string {
  switch (tally.kind) {
    case 'received':
      return `r:${tally.reference}`;
    case 'decided':
      return `d:${tally.reference}`;
    case 'closed':
      return `c:${tally.reference}`;
    case 'text':
      return `${tally.sent ? 't' : 'f'}:${tally.event}`;
    case 'delivery':
      return `${tally.delivered ? 'v' : 'u'}:${tally.event}`;
  }
}

/** The counters a tally adds one to (working days: the decided case's bucket of the histogram). */
export function countersOf(tally: Tally): { readonly counters: readonly Counter[]; readonly workingDays?: number } {
  switch (tally.kind) {
    case 'received':
      return { counters: ['received'] };
    case 'decided':
      return { counters: tally.withinStandard ? ['decided', 'withinStandard'] : ['decided'], workingDays: tally.workingDays };
    case 'closed':
      return { counters: ['closed'] };
    case 'text':
      return { counters: [tally.sent ? 'textsSent' : 'textsFailed'] };
    case 'delivery':
      return { counters: [tally.delivered ? 'textsDelivered' : 'textsNotDelivered'] };
  }
}

export const COUNTERS = ['received', 'decided', 'withinStandard', 'closed', 'textsSent', 'textsFailed', 'textsDelivered', 'textsNotDelivered'] as const;
export type Counter = (typeof COUNTERS)[number];

/** The figures of one day of one service's journey: counts, and decisions by working days taken. */
export interface DayFigures extends Readonly<Record<Counter, number>> {
  /** the UK date */
  readonly day: string;
  /** decided cases by the working days each took: {"3": 2} is two cases decided in 3 working days */
  readonly workingDays: Readonly<Record<string, number>>;
}

export const emptyDay = (day: string): DayFigures => ({ day, received: 0, decided: 0, withinStandard: 0, closed: 0, textsSent: 0, textsFailed: 0, textsDelivered: 0, textsNotDelivered: 0, workingDays: {} });

/** What a decided case counts towards, from its own dates. */
export function decisionFacts(
  record: { readonly createdAt: string; readonly history: readonly { readonly stage: string }[]; readonly standard?: StandardClock; readonly expectedBy?: string },
  decidedAt: string,
): DecisionFacts {
  const receivedOn = ukDate(new Date(record.createdAt));
  const decidedOn = ukDate(new Date(decidedAt));
  const paused = record.standard?.pausedWorkingDays ?? 0;
  const workingDays = Math.max(0, workingDaysBetween(receivedOn, decidedOn) - paused);
  // a case from before the clock was kept: escalated means it passed the standard
  const dueOn = record.standard?.dueOn ?? (record.history.some((entry) => entry.stage === 'escalated') ? undefined : record.expectedBy);
  return { receivedOn, decidedOn, workingDays, withinStandard: dueOn !== undefined && decidedOn <= dueOn };
}

/** The tallies of a decided case: decided on its day, and no longer open on the day it came. */
export const decisionTallies = (reference: string, facts: DecisionFacts): Tally[] => [
  { kind: 'decided', reference, on: facts.decidedOn, workingDays: facts.workingDays, withinStandard: facts.withinStandard },
  { kind: 'closed', reference, on: facts.receivedOn },
];

/**
 * The working days within which `share` of the cases were decided (the nearest-rank percentile:
 * the smallest number of days that at least that share of cases took no more than).
 */
export function percentile(histogram: Readonly<Record<string, number>>, share: number): number | undefined {
  const buckets = Object.entries(histogram)
    .map(([days, count]) => [Number(days), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(share * total));
  let seen = 0;
  for (const [days, count] of buckets) {
    seen += count;
    if (seen >= rank) return days;
  }
  return buckets.at(-1)![0];
}

/** What one tally adds to its day's figures. */
export function tallyFigures(tally: Tally): DayFigures {
  const { counters, workingDays } = countersOf(tally);
  const figures = { ...emptyDay(tally.on), workingDays: workingDays === undefined ? {} : { [workingDays]: 1 } } as Record<Counter, number> & DayFigures;
  for (const counter of counters) figures[counter] = 1;
  return figures;
}

/** Adds days' figures together. */
export function sumDays(days: readonly DayFigures[], label = ''): DayFigures {
  const total: Record<string, number> & { workingDays: Record<string, number> } = { ...emptyDay(label), workingDays: {} } as never;
  for (const day of days) {
    for (const counter of COUNTERS) total[counter] += day[counter];
    for (const [bucket, count] of Object.entries(day.workingDays)) total.workingDays[bucket] = (total.workingDays[bucket] ?? 0) + count;
  }
  return total as unknown as DayFigures;
}

/** The first and last day of the estimate window that ends today. */
export const estimateWindow = (today: string): { from: string; to: string } => ({ from: addDays(today, -(ESTIMATE_WINDOW_DAYS - 1)), to: today });

/** How long recent cases of a service's journey took: what a citizen's status is told. */
export interface Estimate {
  /** cases decided in the window */
  readonly decided: number;
  readonly withinStandard: number;
  /** working days within which half, and nine in ten, of them were decided */
  readonly p50?: number;
  readonly p90?: number;
  readonly from: string;
  readonly to: string;
  /** when it was worked out (an ISO time): an older one never replaces a newer one */
  readonly computedAt: string;
}

export function estimateFrom(days: readonly DayFigures[], today: string, computedAt: string): Estimate {
  const window = estimateWindow(today);
  const total = sumDays(days.filter((day) => day.day >= window.from && day.day <= window.to));
  const p50 = percentile(total.workingDays, 0.5);
  const p90 = percentile(total.workingDays, 0.9);
  return { decided: total.decided, withinStandard: total.withinStandard, ...(p50 !== undefined ? { p50 } : {}), ...(p90 !== undefined ? { p90 } : {}), ...window, computedAt };
}

/** Where the queue has got to: the day the oldest case still waiting in it was received. */
export interface QueuePosition {
  readonly oldestReceivedOn: string;
  /** cases waiting in it */
  readonly waiting: number;
}

/** Where each queue a decision waits in has got to. */
export type QueuePositions = Partial<Record<DecisionQueue, QueuePosition>>;

/** What is published about a service's journey for its citizens' statuses: the estimate and where the queues are. */
export interface JourneySummary {
  readonly estimate?: Estimate;
  readonly queues?: QueuePositions;
  /** when the queues were last read */
  readonly queuesAt?: string;
}

/** One row of the published table: a month, or the last 90 days. */
export interface PerformanceRow {
  /** "2026-11" for a month, "last-90-days" */
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly received: number;
  readonly decided: number;
  readonly decidedWithinStandard: number;
  /** of the cases decided, the share within the standard, to one decimal place */
  readonly decidedWithinStandardPercent?: number;
  readonly workingDaysToDecisionP50?: number;
  readonly workingDaysToDecisionP90?: number;
  readonly textsSent: number;
  readonly textsNotSent: number;
  /** texts the SMS provider's receipt says reached the phone, and those it says could not */
  readonly textsDelivered: number;
  readonly textsNotDelivered: number;
  /** true when the share and the working days come from fewer than FEW_CASES decided cases */
  readonly fewerThan10Decided: boolean;
}

export interface JourneyPerformance {
  readonly service: string;
  readonly journey: Journey;
  /** the service standard for a decision, and the share the service aims to decide within it */
  readonly standardWorkingDays: number;
  readonly targetPercent: number;
  /** cases received in the published months and not decided yet */
  readonly openCases: number;
  readonly oldestOpenReceivedOn?: string;
  readonly last90Days: PerformanceRow;
  /** newest first */
  readonly months: readonly PerformanceRow[];
}

export interface PerformanceReport {
  readonly generatedAt: string;
  /** the first and last day the figures cover */
  readonly from: string;
  readonly to: string;
  readonly journeys: readonly JourneyPerformance[];
}

/** The first day of the published months that end with the month of `today`. */
export function publishedFrom(today: string): string {
  const [year, month] = today.split('-').map(Number);
  const first = new Date(Date.UTC(year, month - 1 - (PUBLISHED_MONTHS - 1), 1));
  return first.toISOString().slice(0, 10);
}

function row(period: string, from: string, to: string, days: readonly DayFigures[]): PerformanceRow {
  const total = sumDays(days.filter((day) => day.day >= from && day.day <= to));
  const p50 = percentile(total.workingDays, 0.5);
  const p90 = percentile(total.workingDays, 0.9);
  return {
    period,
    from,
    to,
    received: total.received,
    decided: total.decided,
    decidedWithinStandard: total.withinStandard,
    ...(total.decided > 0 ? { decidedWithinStandardPercent: Math.round((1000 * total.withinStandard) / total.decided) / 10 } : {}),
    ...(p50 !== undefined ? { workingDaysToDecisionP50: p50 } : {}),
    ...(p90 !== undefined ? { workingDaysToDecisionP90: p90 } : {}),
    textsSent: total.textsSent,
    textsNotSent: total.textsFailed,
    textsDelivered: total.textsDelivered,
    textsNotDelivered: total.textsNotDelivered,
    fewerThan10Decided: total.decided < FEW_CASES,
  };
}

/** A service's journey as published: the last 90 days, each month (newest first), and what is open. */
export function journeyPerformance(
  subject: { readonly service: string; readonly journey: Journey; readonly standardWorkingDays: number; readonly targetPercent: number },
  days: readonly DayFigures[],
  today: string,
): JourneyPerformance {
  const from = publishedFrom(today);
  const months: PerformanceRow[] = [];
  for (let first = from; first <= today; first = addMonthStart(first)) {
    const last = addDays(addMonthStart(first), -1);
    months.unshift(row(first.slice(0, 7), first, last < today ? last : today, days));
  }
  const window = estimateWindow(today);
  let open = 0;
  let oldestOpenReceivedOn: string | undefined;
  for (const day of [...days].sort((a, b) => a.day.localeCompare(b.day))) {
    if (day.day < from || day.day > today) continue;
    // a case received before counting began can be closed on a day that counted no arrivals
    const stillOpen = Math.max(0, day.received - day.closed);
    open += stillOpen;
    if (stillOpen > 0) oldestOpenReceivedOn ??= day.day;
  }
  return { ...subject, openCases: open, ...(oldestOpenReceivedOn ? { oldestOpenReceivedOn } : {}), last90Days: row('last-90-days', window.from, window.to, days), months };
}

function addMonthStart(first: string): string {
  const [year, month] = first.split('-').map(Number);
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}
