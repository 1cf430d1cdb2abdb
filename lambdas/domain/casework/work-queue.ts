// A caseworker queue as the console shows it: every case with the date it is due by under the
// service standard, the overdue first and then by due date, cases quiet for too long flagged,
// filtered by service and journey, a page at a time. The queue index carries no personal data,
// and a service's waiting cases fit in a few reads of it, so the whole queue is ordered here.
import type { Queue } from '../cases/case';
import { findService, type Service } from '../services/catalogue';
import { expiresOnFromQueue } from '../services/permits';
import type { CaseStore, QueueEntry } from '../ports';
import { addDays, ukDate, workingDaysBetween } from '../shared/working-days';

/** Reading stops here, and the page says so: far beyond any one service's waiting cases. */
export const QUEUE_READ_LIMIT = 20_000;
export const PAGE_SIZE = 25;

export interface QueueRow extends QueueEntry {
  /** the date the case is due by: the service standard's (or a delay's new date); for a renewal, when the permit runs out */
  readonly dueOn?: string;
  readonly overdue: boolean;
  /** working days since the citizen was last told something, when that is too long */
  readonly quietForWorkingDays?: number;
}

export interface QueueFilters {
  readonly service?: string;
  readonly journey?: string;
}

export interface QueuePage {
  readonly rows: readonly QueueRow[];
  /** cases in the queue that pass the filters */
  readonly total: number;
  readonly overdue: number;
  readonly quiet: number;
  readonly page: number;
  readonly pages: number;
  /** false when the queue was longer than QUEUE_READ_LIMIT and only its oldest cases are shown */
  readonly complete: boolean;
}

/** Reads the whole of a queue from the store's index, oldest first, up to the limit. */
export async function readQueue(store: CaseStore, queue: Queue, limit = QUEUE_READ_LIMIT): Promise<{ entries: QueueEntry[]; complete: boolean }> {
  const entries: QueueEntry[] = [];
  let next: string | undefined;
  do {
    const page = await store.queue(queue, Math.min(1000, limit - entries.length), next);
    entries.push(...page.cases);
    next = page.next;
  } while (next && entries.length < limit);
  return { entries, complete: !next };
}

export function queueRow(queue: Queue, entry: QueueEntry, today: string): QueueRow {
  const service = findService(entry.service);
  const dueOn = queue === 'renewal-due' ? permitRunsOut(entry, service) : entry.expectedBy;
  const quietDays = workingDaysBetween(ukDate(new Date(entry.lastMilestoneAt ?? entry.queuedAt)), today);
  // a reminded renewal waits for the citizen: nothing for a caseworker to say
  const quiet = queue !== 'renewal-due' && service !== undefined && quietDays >= service.quietAfterWorkingDays;
  return { ...entry, ...(dueOn ? { dueOn } : {}), overdue: dueOn !== undefined && dueOn < today, ...(quiet ? { quietForWorkingDays: quietDays } : {}) };
}

/**
 * When a permit in the renewal-due queue runs out: a reminded one waits there keyed by its expiry
 * (domain/services/permits.ts); one not yet reminded by its reminder date, the reminder's notice before.
 */
function permitRunsOut(entry: QueueEntry, service: Service | undefined): string | undefined {
  if (entry.stage === 'renewal-due') return expiresOnFromQueue(entry.queuedAt);
  return service ? addDays(entry.queuedAt.slice(0, 10), service.renewalReminderDays) : undefined;
}

/**
 * Whether a case in the queue's index is in the queue a caseworker sees (the console and the JSON
 * list alike). The renewal-due index also holds permits whose reminder date has not come yet (keyed
 * by it), and a reminded one keyed by its expiry; a permit that has run out is not due for renewal
 * but expired (the job takes it out of the index within the hour), and neither is one whose service
 * is no longer in the catalogue.
 */
export function listedIn(queue: Queue, entry: QueueEntry, at: { readonly now: string; readonly today: string }): boolean {
  if (queue !== 'renewal-due') return true;
  if (entry.stage !== 'renewal-due' && entry.queuedAt > at.now) return false;
  const runsOut = permitRunsOut(entry, findService(entry.service));
  return runsOut !== undefined && runsOut >= at.today;
}

/** Overdue first (most overdue at the top), then by due date, then the longest waiting. */
export function byWhatIsDue(a: QueueRow, b: QueueRow): number {
  return Number(b.overdue) - Number(a.overdue) || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || a.queuedAt.localeCompare(b.queuedAt) || a.reference.localeCompare(b.reference);
}

export function arrangeQueue(queue: Queue, entries: readonly QueueEntry[], options: { today: string; now: string; filters?: QueueFilters; page?: number; complete?: boolean }): QueuePage {
  const { service, journey } = options.filters ?? {};
  const rows = entries
    .filter((entry) => listedIn(queue, entry, options))
    .filter((entry) => (!service || entry.service === service) && (!journey || entry.journey === journey))
    .map((entry) => queueRow(queue, entry, options.today))
    .sort(byWhatIsDue);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page ?? 1), pages);
  return {
    rows: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    total: rows.length,
    overdue: rows.filter((row) => row.overdue).length,
    quiet: rows.filter((row) => row.quietForWorkingDays !== undefined).length,
    page,
    pages,
    complete: options.complete ?? true,
  };
}
