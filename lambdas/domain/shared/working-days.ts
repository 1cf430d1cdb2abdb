// Service standards are promised in working days: weekends and bank holidays do not count.
// Dates are handled as UK calendar days (Europe/London), which is what a citizen reads.
import bankHolidays from '../../../catalogue/bank-holidays.json';

const DAY_MS = 86_400_000;
const HOLIDAYS = new Set<string>(bankHolidays.dates);

/**
 * The last day a bank-holiday calendar covers: the end of the last year it lists any date in
 * (every year in England and Wales has bank holidays, so a listed year is a covered year). Past
 * it, weekends still do not count, but a bank holiday would be counted as a working day.
 * Derived rather than written down, so extending the list extends the cover.
 */
export function calendarEndsOn(holidays: ReadonlySet<string> = HOLIDAYS): string {
  let last = '';
  for (const date of holidays) if (date > last) last = date;
  return last ? `${last.slice(0, 4)}-12-31` : '';
}

/** The last day catalogue/bank-holidays.json covers. */
export const CALENDAR_ENDS_ON = calendarEndsOn();

/** A count of working days that ran past the end of the bank-holiday calendar. */
export interface PastCalendar {
  /** the day counted from, and the day the count reached (YYYY-MM-DD) */
  readonly from: string;
  readonly to: string;
  /** the last day the calendar covers */
  readonly calendarEndsOn: string;
}

export type PastCalendarListener = (event: PastCalendar) => void;

// Domain code, so no logger or metrics client here: every deployed function that works out dates
// registers the runtime's listener (a log line and a metric) when it loads its adapters
// (lambdas/adapters/aws/deps.ts; test/architecture.test.ts checks each handler does).
let pastCalendarListener: PastCalendarListener = () => undefined;

/**
 * Registers what happens when addWorkingDays or deadline counts days past the end of the
 * bank-holiday calendar (once per count). Returns a function that puts the previous one back.
 */
export function onPastCalendar(listener: PastCalendarListener): () => void {
  const previous = pastCalendarListener;
  pastCalendarListener = listener;
  return () => {
    pastCalendarListener = previous;
  };
}

// A formatter costs far more to create than to use: each is built once, on first use.
let ukDateFormat: Intl.DateTimeFormat | undefined;
let ukHourFormat: Intl.DateTimeFormat | undefined;

/** The calendar date (YYYY-MM-DD) of an instant in the UK. */
export function ukDate(at: Date): string {
  ukDateFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
  return ukDateFormat.format(at);
}

export function isWorkingDay(date: string, holidays: ReadonlySet<string> = HOLIDAYS): boolean {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6 && !holidays.has(date);
}

/**
 * The date that is `days` working days after `from` (a date, YYYY-MM-DD). A count that runs past
 * the end of the bank-holiday calendar still skips weekends, and is reported to the listener
 * registered with onPastCalendar: the date may be a bank holiday early.
 */
export function addWorkingDays(from: string, days: number, holidays: ReadonlySet<string> = HOLIDAYS): string {
  let date = from;
  let left = days;
  while (left > 0) {
    date = new Date(Date.parse(`${date}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    if (isWorkingDay(date, holidays)) left--;
  }
  const endsOn = holidays === HOLIDAYS ? CALENDAR_ENDS_ON : calendarEndsOn(holidays);
  if (date > endsOn) {
    try {
      pastCalendarListener({ from, to: date, calendarEndsOn: endsOn });
    } catch {
      // telling is best effort: a failing log or metric must not change a citizen's deadline
    }
  }
  return date;
}

/**
 * The deadline for a service standard that starts at `at`: the end of the working day (17:00 UK)
 * `days` working days later, and how many seconds away that is (at least one), which is what a
 * Step Functions callback wait takes as its timeout.
 */
export function deadline(at: Date, days: number, holidays: ReadonlySet<string> = HOLIDAYS): { date: string; seconds: number } {
  return untilEndOf(addWorkingDays(ukDate(at), days, holidays), at);
}

/** The end of the working day (17:00 UK) on `date`, as seconds from `at` (at least one: a date already past is due now). */
export function untilEndOf(date: string, at: Date): { date: string; seconds: number } {
  const endOfDay = ukWallClock(date, 17);
  return { date, seconds: Math.max(1, Math.round((endOfDay.getTime() - at.getTime()) / 1000)) };
}

/** The hour (0 to 23) of an instant in the UK. */
export function ukHour(at: Date): number {
  ukHourFormat ??= new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' });
  return Number(ukHourFormat.format(at));
}

function ukWallClock(date: string, hour: number): Date {
  // Europe/London is UTC or UTC+1: try both offsets and keep the one that reads back right.
  for (const offset of [0, 1]) {
    const candidate = new Date(Date.parse(`${date}T${String(hour - offset).padStart(2, '0')}:00:00Z`));
    if (ukHour(candidate) === hour) return candidate;
  }
  return new Date(Date.parse(`${date}T${hour}:00:00Z`));
}

/** Working days after `from` up to and including `to` (dates, YYYY-MM-DD): 0 on the same day or before it. */
export function workingDaysBetween(from: string, to: string, holidays: ReadonlySet<string> = HOLIDAYS): number {
  let days = 0;
  for (let date = from; date < to; ) {
    date = addDays(date, 1);
    if (isWorkingDay(date, holidays)) days++;
  }
  return days;
}

/** Calendar days (not working days): appeal windows and permit validity are counted this way. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}
