// What a citizen is told about when to expect a decision besides the service standard's date:
// how long recent cases like theirs took (never as a promise, and only from enough of them),
// whether theirs is taking longer than nearly all, where the queue has got to, and the
// service-standard clock stopped while we wait for them (and how far it moved the date).
import { citizensDate, type PublicCaseFields, type Stage } from '../cases/case';
import { findService } from '../services/catalogue';
import { CONTENT, fill, publicStatus, readableDate, type PublicStatus } from '../services/content';
import type { Language } from '../shared/language';
import { ESTIMATE_MIN_CASES, type JourneySummary } from '../performance/performance';
import { ukDate, workingDaysBetween } from '../shared/working-days';

/** Stages where the case waits for us to decide: an estimate and the queue's position mean something there. */
export const UNDECIDED_STAGES: readonly Stage[] = ['received', 'checks-complete', 'awaiting-decision', 'escalated'];

/**
 * An estimate worked out, or a queue position read, longer ago than this is not shown: the
 * scheduled job that keeps them current (every 15 minutes) has stopped.
 */
export const PUBLISHED_MAX_AGE_MS = 24 * 3_600_000;

export interface HonestDates {
  /** how long recent cases like this one took, from ESTIMATE_MIN_CASES decided in the last 90 days */
  readonly estimate?: {
    readonly text: string;
    readonly p50WorkingDays: number;
    readonly p90WorkingDays: number;
    /** the cases it comes from: decided between `from` and `to` */
    readonly decidedCases: number;
    readonly from: string;
    readonly to: string;
    /** set when this case has taken longer than 9 in 10 of them: says so, and what the citizen can do */
    readonly takingLonger?: string;
  };
  /** "We are now deciding applications received on or before 12 November" */
  readonly queuePosition?: { readonly text: string; readonly receivedOnOrBefore: string };
  /** the service-standard clock: stopped while we wait for the citizen, or how far their answer moved the date */
  readonly serviceStandard?: { readonly text: string; readonly paused: boolean; readonly movedByWorkingDays?: number };
}

/** Whether a status needs its service's published summary: a case not decided, or waiting for the citizen. */
export const needsSummary = (record: Pick<PublicCaseFields, 'stage'>): boolean => UNDECIDED_STAGES.includes(record.stage);

/**
 * What the status says about dates besides the standard's. The estimate and the queue's position
 * come from the service's published summary, as of `now`; the clock from the case alone.
 */
export function honestDates(record: PublicCaseFields, language: Language, published?: { readonly summary?: JourneySummary; readonly now: Date }): HonestDates {
  const words = CONTENT[language].honestDates;
  const plural = CONTENT[language].journeys[record.journey]?.plural ?? '';
  // "within 1 working day" is true of a case decided the day it came, too
  const days = (count: number) => {
    const shown = Math.max(1, count);
    return fill(shown === 1 ? words.workingDays.one : shown === 2 ? (words.workingDays.two ?? words.workingDays.other) : words.workingDays.other, { count: shown });
  };
  const result: { -readonly [K in keyof HonestDates]: HonestDates[K] } = {};
  const summary = published?.summary;
  const now = published?.now;

  const estimate = summary?.estimate;
  const current = (at: string | undefined) => now !== undefined && at !== undefined && now.getTime() - Date.parse(at) <= PUBLISHED_MAX_AGE_MS;
  if (now && needsSummary(record) && estimate && current(estimate.computedAt) && estimate.decided >= ESTIMATE_MIN_CASES && estimate.p50 !== undefined && estimate.p90 !== undefined) {
    const aim = readableDate(citizensDate(record), language);
    const soFar = workingDaysBetween(ukDate(new Date(record.createdAt)), ukDate(now)) - (record.standard?.pausedWorkingDays ?? 0);
    const team = findService(record.service)?.team[language] ?? '';
    result.estimate = {
      text: [fill(words.estimate, { plural, p50: days(estimate.p50), p90: days(estimate.p90) }), aim ? fill(words.aim, { date: aim }) : ''].filter(Boolean).join(' '),
      p50WorkingDays: estimate.p50,
      p90WorkingDays: estimate.p90,
      decidedCases: estimate.decided,
      from: estimate.from,
      to: estimate.to,
      // as the estimate reads it: a p90 of 0 working days is said as "within 1"
      ...(soFar > Math.max(1, estimate.p90) ? { takingLonger: fill(words.pastEstimate, { plural, team, reference: record.reference }) } : {}),
    };
  }

  const queue = record.stage === 'escalated' ? 'senior-review' : 'awaiting-decision';
  const position = summary?.queues?.[queue];
  if (needsSummary(record) && position && current(summary?.queuesAt)) {
    result.queuePosition = { text: fill(words.queue, { plural, date: readableDate(position.oldestReceivedOn, language) }), receivedOnOrBefore: position.oldestReceivedOn };
  }

  const clock = record.standard;
  if (record.stage === 'information-needed' && clock?.pausedAt) {
    result.serviceStandard = { text: words.paused, paused: true };
  } else if (record.stage === 'awaiting-decision' && clock?.lastPause && clock.lastPause.workingDays > 0 && citizensDate(record) === clock.lastPause.to) {
    // only while the moved date is the one the citizen has: an escalation or an explained delay gives them another
    const moved = clock.lastPause;
    result.serviceStandard = {
      text: fill(words.moved, { days: days(moved.workingDays), from: readableDate(moved.from, language), to: readableDate(moved.to, language) }),
      paused: false,
      movedByWorkingDays: moved.workingDays,
    };
  }
  return result;
}

/** What a citizen sees for their reference (services/content.ts), with what it says about time besides the standard's date. */
export type StatusWithDates = PublicStatus & HonestDates;

export const statusWithDates = (record: PublicCaseFields, language: Language, published: { readonly summary?: JourneySummary; readonly now: Date }): StatusWithDates => ({
  ...publicStatus(record, language, ukDate(published.now)),
  ...honestDates(record, language, published),
});
