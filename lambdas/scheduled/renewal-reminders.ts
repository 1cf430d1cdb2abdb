// Scheduled (EventBridge Scheduler in AWS, a timer locally): approved cases whose reminder day
// has come move to "renewal due" and the citizen is told, once. An approved case waits in the
// renewal-due queue, keyed by its reminder day, so this reads only what is due.
import { moveToStage } from '../steps/stages';
import { logger, step, store } from '../steps/runtime';

export interface ReminderRun {
  /** the scheduled time; defaults to now */
  readonly time?: string;
}

export const handler = step(async (event: ReminderRun = {}) => {
  const upTo = event.time && !Number.isNaN(Date.parse(event.time)) ? new Date(event.time).toISOString() : new Date().toISOString();
  const failed = new Set<string>();
  let reminded = 0;
  // Reminded cases leave the queue, so each page is read from the start; bounded per run.
  for (let page = 0; page < 50; page++) {
    const due = (await store.due('renewal-due', upTo, 100 + failed.size)).filter((reference) => !failed.has(reference));
    if (due.length === 0) break;
    for (const reference of due) {
      try {
        await moveToStage(
          reference,
          'renewal-due',
          () => ({ remove: ['queue', 'queuedAt'] }),
          (current) => current.stage === 'renewal-due' || current.queue !== 'renewal-due',
        );
        reminded++;
      } catch (error) {
        failed.add(reference); // tried again next run
        logger.error('renewal reminder failed', { reference, error: (error as Error)?.name });
      }
    }
  }
  logger.info('renewal reminders', { reminded, failed: failed.size });
  return { reminded, failed: failed.size };
});
