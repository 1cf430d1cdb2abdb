// Scheduled (EventBridge Scheduler in AWS, a timer locally): citizens whose case has been quiet
// for too long hear that it is still being worked on, once per interval, in working hours only.
import { tellQuietCases } from '../domain/messages/still-working';
import { transitionDeps } from '../adapters/aws/deps';
import { logger, step } from '../steps/runtime';

const deps = transitionDeps();

export interface StillWorkingRun {
  /** the scheduled time; defaults to now. A late or retried run decides as at this time, so it texts nobody twice */
  readonly time?: string;
}

export const handler = step(async (event: StillWorkingRun = {}) => {
  const now = event.time && !Number.isNaN(Date.parse(event.time)) ? new Date(event.time) : deps.clock();
  const result = await tellQuietCases(deps, now);
  logger.info('still-working texts', { ...result });
  return result;
});
