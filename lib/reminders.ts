// Renewal reminders: an EventBridge Scheduler schedule runs the reminder job, which moves cases
// whose reminder day has come to "renewal due" and announces the milestone. (Locally, a timer
// in the platform runs the same job.)
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { RENEWAL_REMINDERS } from '../lambdas/journeys';
import { JourneyFunction } from './journey-function';

export interface RemindersProps {
  readonly table: ITable;
  readonly milestones: ITopic;
}

export class Reminders extends Construct {
  readonly job: JourneyFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);
    this.job = new JourneyFunction(this, 'RenewalReminders', { entry: RENEWAL_REMINDERS.entry, description: RENEWAL_REMINDERS.description })
      .bindTable(props.table, 'write')
      .bindMilestones(props.milestones);
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Renewal reminders for permits that run out soon',
      schedule: ScheduleExpression.rate(Duration.minutes(RENEWAL_REMINDERS.everyMinutes)),
      // the job reads what is due by the scheduled time, so a late or retried run sends nothing twice
      target: new LambdaInvoke(this.job, { input: ScheduleTargetInput.fromObject({ time: ContextAttribute.scheduledTime }), retryAttempts: 2 }),
    });
  }
}
