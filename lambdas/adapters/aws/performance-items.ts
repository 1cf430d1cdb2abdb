// The performance items of the case table as the service's figures: read by the store that
// counts them and by the status lookup, which must not load the document client to read one.
import { COUNTERS, type DayFigures, type Estimate, type JourneySummary } from '../../domain/performance/performance';

/** The attribute that remembers what a day has counted: never given back to a reader. */
export const COUNTED = 'counted';
/** The histogram of working days to decision: one attribute per number of days, "wd3" = decided in 3. */
export const WORKING_DAYS_PREFIX = 'wd';

/** A day's item as figures: its counters and histogram, never what it remembers having counted. */
export function dayFigures(item: Record<string, unknown>): DayFigures {
  const workingDays: Record<string, number> = {};
  for (const [attribute, value] of Object.entries(item)) {
    if (attribute.startsWith(WORKING_DAYS_PREFIX) && /^\d+$/.test(attribute.slice(WORKING_DAYS_PREFIX.length))) workingDays[attribute.slice(WORKING_DAYS_PREFIX.length)] = Number(value);
  }
  const counts = Object.fromEntries(COUNTERS.map((counter) => [counter, Number(item[counter] ?? 0)])) as Record<(typeof COUNTERS)[number], number>;
  return { day: String(item.day), ...counts, workingDays };
}

/** The summary item as published: the estimate and the queue positions only. */
export function journeySummary(item: Record<string, unknown>): JourneySummary {
  return {
    ...(item.estimate ? { estimate: item.estimate as Estimate } : {}),
    ...(item.queues ? { queues: item.queues as JourneySummary['queues'] } : {}),
    ...(item.queuesAt ? { queuesAt: String(item.queuesAt) } : {}),
  };
}
