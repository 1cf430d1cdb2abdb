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
  const due = await store.due('renewal-due', upTo);
  for (const reference of due) {
    await moveToStage(
      reference,
      'renewal-due',
      () => ({ remove: ['queue', 'queuedAt'] }),
      (current) => current.stage === 'renewal-due' || current.queue !== 'renewal-due',
    );
  }
  logger.info('renewal reminders', { due: due.length });
  return { reminded: due.length };
});
