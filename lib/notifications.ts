// Milestones and who hears about them: the milestone topic other agencies can subscribe to, and
// the registry's subscribers (the SMS notifier). A notification that cannot be sent ends up in a
// queue ops can redrive from; it never blocks the journey.
import { Duration } from 'aws-cdk-lib';
import { AccountPrincipal, Effect, PolicyStatement, StarPrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SubscriptionFilter, Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SUBSCRIBERS } from '../lambdas/functions';
import { acknowledge } from './acknowledge';
import { PlatformFunction } from './platform-function';
import type { NotificationsProps } from './types';

export class Notifications extends Construct {
  readonly topic: Topic;
  readonly subscribers: readonly PlatformFunction[];
  /** where undeliverable milestones and notifications wait for ops */
  readonly deadLetterQueues: readonly Queue[];

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Milestones', { displayName: 'Journey tracker milestones', masterKey: props.key });
    refuseWithoutTls(this.topic);
    // The milestone feed: other agencies subscribe from their own accounts, with a filter policy
    // on journey, service or milestone (docs/milestone-feed.md). Messages carry no personal data.
    for (const account of props.feedSubscriberAccounts ?? []) {
      this.topic.addToResourcePolicy(
        new PolicyStatement({ principals: [new AccountPrincipal(account)], actions: ['sns:Subscribe'], resources: [this.topic.topicArn] }),
      );
    }

    // Milestones SNS could not hand to the notifier at all (e.g. throttled past its retries).
    const undeliveredMilestones = deadLetterQueue(this, 'UndeliveredMilestones', props.key);
    // Invocations that failed after their retries, with the original event: redrive by
    // invoking the notifier again with it. The notifier's claim on the case keeps it at most once.
    const failedNotifications = deadLetterQueue(this, 'FailedNotifications', props.key);
    this.deadLetterQueues = [undeliveredMilestones, failedNotifications];

    this.subscribers = SUBSCRIBERS.map((subscriber) => {
      const fn = new PlatformFunction(this, subscriber, { table: props.table, milestones: this.topic, stage: props.stage });
      sendFailuresTo(fn, failedNotifications);
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

/**
 * Every action a topic policy can name, as AWS lists them ("Valid Amazon SNS policy actions" in
 * the SNS developer guide). A topic policy takes these names, not `sns:*`.
 */
export const TOPIC_POLICY_ACTIONS = [
  'sns:AddPermission',
  'sns:DeleteTopic',
  'sns:GetDataProtectionPolicy',
  'sns:GetTopicAttributes',
  'sns:ListSubscriptionsByTopic',
  'sns:ListTagsForResource',
  'sns:Publish',
  'sns:PutDataProtectionPolicy',
  'sns:RemovePermission',
  'sns:SetTopicAttributes',
  'sns:Subscribe',
] as const;

/**
 * Refuses every action on the topic that does not come over TLS, whoever asks. (CDK's enforceSSL
 * refuses only sns:Publish; a queue's enforceSSL refuses sqs:*, every queue action, already.)
 */
export function refuseWithoutTls(topic: ITopic): void {
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'RefuseEveryActionWithoutTls',
      effect: Effect.DENY,
      principals: [new StarPrincipal()],
      actions: [...TOPIC_POLICY_ACTIONS],
      resources: [topic.topicArn],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
  );
}

/** A queue where what could not be delivered waits for ops: two weeks, encrypted with the messages key, over TLS only. */
export function deadLetterQueue(scope: Construct, id: string, key: IKey): Queue {
  const queue = new Queue(scope, id, {
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
  });
  const why = `${id} is itself where failures end up (an SNS subscription's dead-letter queue or a Lambda on-failure destination), not a queue anything consumes: ops read it and redrive by hand, alarmed on its depth.`;
  acknowledge(queue, { 'AwsSolutions-SQS3': why, 'Serverless-SQSRedrivePolicy': why });
  return queue;
}

/**
 * An asynchronously invoked function's invocations that still fail after Lambda's two retries go,
 * with their event and error, to `queue`. (CDK's grant for that uses wildcards of its own, on that
 * queue's key only: acknowledged here.)
 */
export function sendFailuresTo(fn: PlatformFunction, queue: Queue): void {
  fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(queue) });
  const reason = `CDK's grant for sending a failed invocation to the encrypted ${queue.node.id} queue (kms:GenerateDataKey*, kms:ReEncrypt* on that queue's key only).`;
  acknowledge(fn.role!, { 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': reason, 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': reason });
}
