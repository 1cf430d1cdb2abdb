// Scheduled (EventBridge Scheduler in AWS, a timer locally): granted permits whose reminder day
// has come move to "renewal due", and those past their end to "expired"; the citizen is told of
// each, once. (Named for its first job: a new name would replace the deployed schedule.)
import { followPermits } from '../domain/journeys/journey-steps';
import { transitionDeps } from '../adapters/aws/deps';
import { logger, step } from '../steps/runtime';

const deps = transitionDeps();

export interface ReminderRun {
  /** the scheduled time; defaults to now */
  readonly time?: string;
}

export const handler = step(async (event: ReminderRun = {}) => {
  const upTo = event.time && !Number.isNaN(Date.parse(event.time)) ? new Date(event.time).toISOString() : deps.clock().toISOString();
  const result = await followPermits(deps, upTo);
  logger.info('permits followed', result);
  return result;
});
