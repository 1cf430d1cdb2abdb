// Scheduled (EventBridge Scheduler in AWS, a timer locally): approved cases whose reminder day
// has come move to "renewal due" and the citizen is told, once.
import { remindRenewals } from '../domain/journey-steps';
import { transitionDeps } from '../adapters/aws/deps';
import { logger, step } from '../steps/runtime';

const deps = transitionDeps();

export interface ReminderRun {
  /** the scheduled time; defaults to now */
  readonly time?: string;
}

export const handler = step(async (event: ReminderRun = {}) => {
  const upTo = event.time && !Number.isNaN(Date.parse(event.time)) ? new Date(event.time).toISOString() : deps.clock().toISOString();
  const result = await remindRenewals(deps, upTo);
  logger.info('renewal reminders', result);
  return result;
});
