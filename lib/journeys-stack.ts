// The journeys stack of a stage (still named <name>-app, its name before the stacks were split: a
// new name would be a new stack, and everything in it would be made again): the milestone topic
// that other agencies subscribe to, the journeys with the cases running on them, the scheduled
// jobs, and the SMS delivery receipts. Everything here either holds something under way (running
// executions, messages waiting in dead-letter queues) or has an address others keep (the topic's
// ARN, the SMS delivery logs' names), so it keeps the logical ids it had in the one app stack.
// The API, pages and site are the web stack's (lib/web-stack.ts), alarms the monitoring stack's.
import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EncryptLogGroups } from './keys';
import { Journeys } from './journeys';
import { Notifications } from './notifications';
import { ScheduledJobs } from './reminders';
import { SmsReceipts } from './sms-receipts';
import type { PlatformFunction, PlatformResources } from './platform-function';
import type { DataStack } from './data-stack';
import type { Deployment } from './deployment';

export interface JourneysStackProps extends StackProps {
  readonly deployment: Deployment;
  /** the stage's stateful stack: keys, tables */
  readonly data: DataStack;
  /** AWS accounts of other agencies allowed to subscribe to the milestone feed */
  readonly feedSubscriberAccounts?: readonly string[];
}

export class JourneysStack extends Stack {
  readonly notifications: Notifications;
  readonly journeys: Journeys;
  readonly scheduled: ScheduledJobs;
  readonly receipts: SmsReceipts;
  /** what the functions of this stack are bound to: the case table, the milestone topic, the stage */
  readonly resources: PlatformResources;

  /** this stack's functions of the registry: the steps, the subscribers, the scheduled jobs, the receipts reader */
  get functions(): readonly PlatformFunction[] {
    return [...this.journeys.steps, ...this.notifications.subscribers, ...this.scheduled.jobs, ...this.receipts.functions];
  }

  constructor(scope: Construct, id: string, props: JourneysStackProps) {
    super(scope, id, props);
    const { data, deployment } = props;
    const { table } = data.cases;
    const { keys } = data;
    // every log group of this stack, on the logs key
    Aspects.of(this).add(new EncryptLogGroups(keys.logs, { keepsData: deployment.keepsData }));
    this.notifications = new Notifications(this, 'Notifications', { table, key: keys.messages, stage: deployment.stage, feedSubscriberAccounts: props.feedSubscriberAccounts });
    this.resources = { table, milestones: this.notifications.topic, stage: deployment.stage };
    this.journeys = new Journeys(this, 'Journeys', { resources: this.resources });
    // every scheduled job; still called "Reminders" (its first job's) because a new id would replace the deployed schedule, function and MissedRuns queue, with what waits in it
    this.scheduled = new ScheduledJobs(this, 'Reminders', { resources: this.resources, key: keys.messages });
    // whether each text reached the phone: SNS's delivery-status logs, read into the cases
    this.receipts = new SmsReceipts(this, 'SmsReceipts', { resources: this.resources, key: keys.messages, ownsDeliveryLogs: deployment.ownsSmsDeliveryReceipts, logsKey: keys.logs, keepsData: deployment.keepsData });

    new CfnOutput(this, 'MilestoneTopicArn', { value: this.notifications.topic.topicArn, description: 'Other agencies subscribe here, with a filter policy on journey, service or milestone' });
  }
}
