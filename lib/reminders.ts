// Scheduled jobs from the registry (the renewal reminders): an EventBridge Scheduler schedule
// each, with retries and a dead-letter queue for a run that could not be delivered. (Locally, a
// timer in the platform runs the same jobs.)
import { Duration } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { SCHEDULED } from '../lambdas/functions';
import { PlatformFunction, type PlatformResources } from './platform-function';
import { deadLetterQueue } from './notifications';

export interface ScheduledJobsProps {
  readonly resources: PlatformResources;
}

export class ScheduledJobs extends Construct {
  readonly jobs: readonly PlatformFunction[];
  /** runs the scheduler could not deliver after its retries */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'MissedRuns');
    this.jobs = SCHEDULED.map((job) => {
      const fn = new PlatformFunction(this, job, props.resources);
      new Schedule(this, `${job.name}Schedule`, {
        description: job.description,
        schedule: ScheduleExpression.rate(Duration.minutes(job.everyMinutes)),
        // a job reads what is due by the scheduled time, so a late or retried run sends nothing twice
        target: new LambdaInvoke(fn, {
          input: ScheduleTargetInput.fromObject({ time: ContextAttribute.scheduledTime }),
          retryAttempts: 2,
          deadLetterQueue: this.deadLetterQueue,
        }),
      });
      return fn;
    });
  }
}
