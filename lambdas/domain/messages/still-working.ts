// Breaking the silence: a case waiting for us that has had no milestone for the service's
// `quietAfterWorkingDays` gets one "still being worked on, nothing needed from you" text per
// interval, in working hours only. The notice is not a milestone of the case's own: it leaves
// `lastMilestoneAt` (and so the caseworker queue's "quiet for too long" flag) and the history alone.
import { DECISION_QUEUES, type CaseRecord, type Queue } from '../cases/case';
import { findService } from '../services/catalogue';
import { pendingDecision } from '../casework/decisions';
import { METRIC } from '../shared/metrics';
import { milestoneEvent, type MilestoneEvent } from '../cases/milestones';
import { announce, type TransitionDeps } from '../cases/transitions';
import { queueRow, readQueue } from '../casework/work-queue';
import { isWorkingDay, ukDate, ukHour, workingDaysBetween } from '../shared/working-days';

/** Cases waiting for us: not for the citizen (information-needed), not decided, not renewal reminders. */
export const WAITING_FOR_US: readonly Queue[] = DECISION_QUEUES;

/** Citizens are texted from 09:00 until 18:00 UK time on working days, never at night or at weekends. */
export const TEXTING_HOURS = { from: 9, until: 18 } as const;

/**
 * Cases read per run at most (each a read, a write and a publish: well within the job's two
 * minutes); more quiet cases than this are reached over the next runs.
 */
export const CASES_PER_RUN = 300;

export interface QuietCasesRun {
  /** notices written (and announced) this run */
  readonly told: number;
  /** notices written by an earlier run whose text had not gone, announced again (the notifier sends each once) */
  readonly announcedAgain: number;
  readonly failed: number;
  /** quiet cases in the queue index beyond this run's bound, for the next runs */
  readonly left: number;
  /** true when the run was outside texting hours and did nothing */
  readonly outsideTextingHours?: true;
}

/** Whether citizens may be texted at `at`: a working day in the UK, within TEXTING_HOURS. */
export function withinTextingHours(at: Date): boolean {
  const hour = ukHour(at);
  return isWorkingDay(ukDate(at)) && hour >= TEXTING_HOURS.from && hour < TEXTING_HOURS.until;
}

const waitingForUs = (record: CaseRecord): boolean => record.queue !== undefined && WAITING_FOR_US.includes(record.queue) && !pendingDecision(record);

/** When the citizen last heard from us: a milestone, or a notice that we are still working on it. */
function lastHeardAt(record: CaseRecord): string {
  const milestone = record.lastMilestoneAt ?? record.queuedAt ?? record.createdAt;
  return record.quietNoticeAt && record.quietNoticeAt > milestone ? record.quietNoticeAt : milestone;
}

/** Whether the case is waiting for us and the citizen has heard nothing for the service's interval. */
export function isQuiet(record: CaseRecord, today: string): boolean {
  const service = findService(record.service);
  if (!service || !waitingForUs(record)) return false;
  // at least a working day: one notice a day at most, whatever the catalogue says
  return workingDaysBetween(ukDate(new Date(lastHeardAt(record))), today) >= Math.max(1, service.quietAfterWorkingDays);
}

/** The milestone event of the notice given at `quietNoticeAt`: one event per notice, so it is texted once. */
export const noticeEvent = (record: CaseRecord, quietNoticeAt: string): MilestoneEvent =>
  milestoneEvent(record, 'still-working', `quiet-${ukDate(new Date(quietNoticeAt))}`, quietNoticeAt);

/**
 * The case's latest notice when its text has not gone (a run that stopped between its write and
 * its announcement, or a topic that refused it): still the last thing the citizen would have
 * heard, and the case still waiting for us.
 */
function unsentNotice(record: CaseRecord): MilestoneEvent | undefined {
  if (!record.quietNoticeAt || !waitingForUs(record)) return undefined;
  if (record.lastMilestoneAt && record.lastMilestoneAt >= record.quietNoticeAt) return undefined;
  const event = noticeEvent(record, record.quietNoticeAt);
  return record.notifications.some((notification) => notification.event === event.event) ? undefined : event;
}

/**
 * Tells the citizens whose case has been quiet for too long that it is still being worked on.
 * The queue index (no personal data) says which cases have had no milestone for long enough;
 * each is decided on the case itself, in one conditional write, which a second run recognises.
 * `now` is the scheduled time of the run.
 */
export async function tellQuietCases(deps: TransitionDeps, now: Date, limit = CASES_PER_RUN): Promise<QuietCasesRun> {
  if (!withinTextingHours(now)) return { told: 0, announcedAgain: 0, failed: 0, left: 0, outsideTextingHours: true };
  const today = ukDate(now);
  const at = now.toISOString();
  // The same flag the caseworker queue shows (from lastMilestoneAt only): a case told it is still
  // being worked on stays a candidate, and the case itself says when it was told.
  const candidates: string[] = [];
  for (const queue of WAITING_FOR_US) {
    const { entries } = await readQueue(deps.store, queue);
    for (const entry of entries) if (queueRow(queue, entry, today).quietForWorkingDays !== undefined) candidates.push(entry.reference);
  }
  // Cases told already stay candidates until their next interval, so with more candidates than
  // the bound each run starts further on (by the hour), and every case is reached in a few runs.
  const start = candidates.length > limit ? (Math.floor(now.getTime() / 3_600_000) * limit) % candidates.length : 0;
  const thisRun = [...candidates.slice(start), ...candidates.slice(0, start)].slice(0, limit);

  let told = 0;
  let announcedAgain = 0;
  let failed = 0;
  for (const reference of thisRun) {
    try {
      const { record, changed } = await deps.store.update(reference, (current) => (isQuiet(current, today) ? { set: { quietNoticeAt: at } } : undefined));
      if (changed) {
        told++;
        deps.metrics.count(METRIC.quietCasesTold);
        await announce(deps, noticeEvent(record, at));
        continue;
      }
      const unsent = unsentNotice(record);
      if (unsent) {
        announcedAgain++;
        await announce(deps, unsent);
      }
    } catch (error) {
      failed++; // tried again next run
      deps.log.error('still-working notice failed', { reference, error: (error as Error)?.name });
    }
  }
  return { told, announcedAgain, failed, left: candidates.length - thisRun.length };
}
