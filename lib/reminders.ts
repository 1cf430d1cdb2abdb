// Scheduled jobs from the registry (SCHEDULED: the renewal reminders, the published queue
// positions, the "still being worked on" texts): an EventBridge Scheduler schedule each, at the
// registry's interval, with retries, and one dead-letter queue shared by all of them for a run that
// could not be delivered or that failed. (Locally, a timer in the platform runs the same jobs.)
import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { SCHEDULED } from '../lambdas/functions';
import { PlatformFunction, type PlatformResources } from './platform-function';
import { deadLetterQueue, sendFailuresTo } from './notifications';
import { keyUseThrough } from './keys';
import { acknowledge, versionsOf } from './acknowledge';

export interface ScheduledJobsProps {
  readonly resources: PlatformResources;
  /** encrypts the dead-letter queue (the scheduler's role may use it, through SQS, to send a missed run there) */
  readonly key: IKey;
}

export class ScheduledJobs extends Construct {
  readonly jobs: readonly PlatformFunction[];
  /** runs the scheduler could not deliver after its retries */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'MissedRuns', props.key);
    this.jobs = SCHEDULED.map((job) => {
      const fn = new PlatformFunction(this, job, props.resources);
      // Scheduler invokes the job asynchronously: a run that fails after Lambda's own retries
      // lands in the same queue as a run the scheduler could not deliver.
      sendFailuresTo(fn, this.deadLetterQueue);
      const role = new Role(this, `${job.name}ScheduleRole`, { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: `EventBridge Scheduler runs ${job.name}` });
      // The target grants sqs:SendMessage to the dead-letter queue, but the queue is encrypted:
      // without its key SQS refuses the message, and the scheduler drops a missed run. Exactly what
      // SQS needs to encrypt a message for the sender, and only through SQS.
      role.addToPolicy(keyUseThrough(props.key, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']));
      acknowledge(role, {
        [`AwsSolutions-IAM5[Resource::${versionsOf(fn)}]`]: `CDK's grant for invoking ${job.name}: the function and its versions (function:${job.name}:*), nothing else.`,
      });
      new Schedule(this, `${job.name}Schedule`, {
        description: job.description,
        schedule: ScheduleExpression.rate(Duration.minutes(job.everyMinutes)),
        // a job reads what is due by the scheduled time, so a late or retried run sends nothing twice
        target: new LambdaInvoke(fn, {
          input: ScheduleTargetInput.fromObject({ time: ContextAttribute.scheduledTime }),
          retryAttempts: 2,
          deadLetterQueue: this.deadLetterQueue,
          role,
        }),
      });
      return fn;
    });
  }
}
