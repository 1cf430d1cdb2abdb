// Milestones and who hears about them: the milestone topic other agencies can subscribe to, and
// the registry's subscribers (the SMS notifier). A notification that cannot be sent ends up in a
// queue ops can redrive from; it never blocks the journey.
import { Duration } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SUBSCRIBERS } from '../lambdas/functions';
import { PlatformFunction } from './platform-function';
import type { NotificationsProps } from './types';

export class Notifications extends Construct {
  readonly topic: Topic;
  readonly subscribers: readonly PlatformFunction[];
  /** where undeliverable milestones and notifications wait for ops */
  readonly deadLetterQueues: readonly Queue[];

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Milestones', { displayName: 'Journey tracker milestones', enforceSSL: true });
    // The milestone feed: other agencies subscribe from their own accounts, with a filter policy
    // on journey, service or milestone (docs/milestone-feed.md). Messages carry no personal data.
    for (const account of props.feedSubscriberAccounts ?? []) {
      this.topic.addToResourcePolicy(
        new PolicyStatement({ principals: [new AccountPrincipal(account)], actions: ['sns:Subscribe'], resources: [this.topic.topicArn] }),
      );
    }

    // Milestones SNS could not hand to the notifier at all (e.g. throttled past its retries).
    const undeliveredMilestones = deadLetterQueue(this, 'UndeliveredMilestones');
    // Invocations that failed after their retries, with the original event: redrive by
    // invoking the notifier again with it. The notifier's claim on the case keeps it at most once.
    const failedNotifications = deadLetterQueue(this, 'FailedNotifications');
    this.deadLetterQueues = [undeliveredMilestones, failedNotifications];

    this.subscribers = SUBSCRIBERS.map((subscriber) => {
      const fn = new PlatformFunction(this, subscriber, { table: props.table, milestones: this.topic });
      fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failedNotifications) });
      this.topic.addSubscription(
        new LambdaSubscription(fn, {
          filterPolicy: Object.fromEntries(
            Object.entries(subscriber.filterPolicy).map(([attribute, values]) => [attribute, SubscriptionFilter.stringFilter({ allowlist: [...values] })]),
          ),
          deadLetterQueue: undeliveredMilestones,
        }),
      );
      return fn;
    });
  }
}

export function deadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, {
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
}
