// The SMS provider's delivery receipts (RECEIPTS in the registry): SNS logs whether each text it
// sent to a phone number reached it, in two log groups of its own naming, and a subscription on
// each hands the receipts to the SmsReceipts function, which records them on the case and in the
// published figures. SNS writes those logs only when the account's SMS attributes name a role it
// may write them with: this construct makes that role and sets the attribute.
//
// The two log groups' names are the account's and region's, and SNS makes them itself the first
// time it logs a text: an account that has sent texts with delivery logging before has them
// already, and prod keeps them after a teardown. So they are not CloudFormation's to create: a
// custom resource makes each if it is missing and gives it our retention and key either way.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, LogGroup, SubscriptionFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { RECEIPTS } from '../lambdas/functions';
import { acknowledge, asNagShows } from './acknowledge';
import { deadLetterQueue, sendFailuresTo } from './notifications';
import { LOG_RETENTION, PlatformFunction, type PlatformResources } from './platform-function';

export interface SmsReceiptsProps {
  readonly resources: PlatformResources;
  /** encrypts the FailedReceipts queue (the messages key) */
  readonly key: IKey;
  /**
   * whether this stage owns the account's SMS delivery-status logs (lib/deployment.ts): without
   * them the function is deployed but hears nothing, and texts stay "sent" with no receipt
   */
  readonly ownsDeliveryLogs: boolean;
  /** encrypts the two delivery log groups (the logs key) */
  readonly logsKey: IKey;
  /** keep the delivery log groups when the stack goes (prod); delete them with it otherwise */
  readonly keepsData: boolean;
}

/** The log groups SNS writes SMS delivery-status logs to, in `stack`'s region and account: delivered, and failed. */
export function smsDeliveryLogGroupNames(stack: Stack): { readonly delivered: string; readonly failed: string } {
  const delivered = `sns/${stack.region}/${stack.account}/DirectPublishToPhoneNumber`;
  return { delivered, failed: `${delivered}/Failure` };
}

/** A log group's own ARN, without the `:*` of its Arn attribute. */
const logGroupArn = (stack: Stack, name: string): string => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/** What SNS may do to write the delivery logs (the actions its documentation asks of the role). */
export const SMS_DELIVERY_LOG_ACTIONS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'] as const;

/** The SMS attributes this construct sets: every successful text logged too, not a sample, so each case learns its text arrived. */
export const SMS_DELIVERY_SAMPLING_PERCENT = '100';

export class SmsReceipts extends Construct {
  readonly functions: readonly PlatformFunction[];
  /** receipts the function could not record after Lambda's retries, with the event and the error */
  readonly deadLetterQueue: Queue;
  /** the delivered and the failed texts' log groups */
  readonly logGroups: readonly ILogGroup[];

  constructor(scope: Construct, id: string, props: SmsReceiptsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = smsDeliveryLogGroupNames(stack);
    this.deadLetterQueue = deadLetterQueue(this, 'FailedReceipts', props.key);
    this.functions = RECEIPTS.map((receipts) => {
      const fn = new PlatformFunction(this, receipts, props.resources);
      // CloudWatch Logs invokes it asynchronously: a batch of receipts that still fails after
      // Lambda's retries is kept, with its event, for ops to redrive.
      sendFailuresTo(fn, this.deadLetterQueue);
      return fn;
    });
    if (!props.ownsDeliveryLogs) {
      this.logGroups = [];
      return;
    }

    // Made here if SNS has not made them already, and either way kept a month, like every other
    // log, on the logs key: they hold the phone number of every text (SNS writes the destination
    // into each receipt). Their names are the account's and region's, not the stage's: one stage
    // per account and region can own them.
    const providerLogs = new LogGroup(this, 'SmsAttributesLogs', { retention: LOG_RETENTION });
    const deliveryLogs = { key: props.logsKey, removeOnDelete: !props.keepsData, providerLogs };
    const adopted = [new AdoptedLogGroup(this, 'DeliveredTexts', names.delivered, deliveryLogs), new AdoptedLogGroup(this, 'FailedTexts', names.failed, deliveryLogs)];
    this.logGroups = adopted.map((group) => group.group);

    const writesLogs = new Role(this, 'DeliveryStatusRole', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com'),
      description: 'SNS writes SMS delivery-status logs (the delivery receipts) to the two log groups this stack adopts',
    });
    writesLogs.addToPolicy(
      new PolicyStatement({
        actions: [...SMS_DELIVERY_LOG_ACTIONS],
        // each group (CreateLogGroup, PutRetentionPolicy, PutMetricFilter) and its streams
        // (CreateLogStream, PutLogEvents: log-group:<name>:*), nothing else
        resources: [names.delivered, names.failed].flatMap((name) => [logGroupArn(stack, name), `${logGroupArn(stack, name)}:*`]),
      }),
    );
    acknowledge(writesLogs, Object.fromEntries([names.delivered, names.failed].map((name) => [`AwsSolutions-IAM5[Resource::${asNagShows(this, `${logGroupArn(stack, name)}:*`)}]`, `The streams of the one delivery log group ${name}, which SNS makes and names itself: nothing else.`])));

    // Who SNS may write delivery logs as is the account's setting (per region), not a resource of
    // ours: set on create and update, and nothing on delete. Removing this stack must not switch
    // off receipts for another stack that relies on the same setting, and the role named here
    // going with the stack only stops the logging.
    const setsAttributes = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes: { DeliveryStatusIAMRole: writesLogs.roleArn, DeliveryStatusSuccessSamplingRate: SMS_DELIVERY_SAMPLING_PERCENT } },
      physicalResourceId: PhysicalResourceId.of('sms-delivery-status-logging'),
    };
    const smsAttributes = new AwsCustomResource(this, 'SmsDeliveryStatusLogging', {
      onCreate: setsAttributes,
      onUpdate: setsAttributes,
      // SMS attributes belong to the account: SetSMSAttributes has no resource to name
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
        // naming a role for SNS to act as is passing it: that role only, to SNS only
        new PolicyStatement({ actions: ['iam:PassRole'], resources: [writesLogs.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'sns.amazonaws.com' } } }),
      ]),
      // the SDK in Lambda's runtime: no download from npm at deploy time
      installLatestAwsSdk: false,
      // one SDK call: the platform's functions' size is plenty
      memorySize: 256,
      logGroup: providerLogs,
    });
    acknowledge(smsAttributes, {
      'AwsSolutions-IAM5[Resource::*]': "SetSMSAttributes sets the account's SMS settings, which have no ARN: the only action allowed.",
    });
    acknowledgeProvider(this);

    for (const fn of this.functions) {
      for (const group of adopted) {
        const subscription = new SubscriptionFilter(this, `${fn.registered.name}From${group.node.id}`, {
          logGroup: group.group,
          destination: new LambdaDestination(fn),
          filterPattern: FilterPattern.allEvents(),
        });
        // once the group is there, whoever made it
        subscription.node.addDependency(group);
      }
    }
  }
}

interface DeliveryLogs {
  readonly key: IKey;
  /** delete the group with the stack (dev); keep it otherwise */
  readonly removeOnDelete: boolean;
  /** where CDK's custom resource function logs */
  readonly providerLogs: LogGroup;
}

/**
 * The log group at `name`, whoever made it: made if it is missing, kept a month on the key, and
 * deleted with the stack only if `removeOnDelete`. What depends on this construct waits for all of that.
 */
class AdoptedLogGroup extends Construct {
  readonly group: ILogGroup;

  constructor(scope: Construct, id: string, name: string, props: DeliveryLogs) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = logGroupArn(stack, name);
    // one call each, on this group only, and each idempotent: made if missing (an existing one is
    // no error), then kept a month and put on the key, which is a change only the first time
    const call = (action: string, parameters: Record<string, unknown>, ignoreErrorCodesMatching?: string) => ({
      service: 'CloudWatchLogs',
      action,
      parameters: { logGroupName: name, ...parameters },
      physicalResourceId: PhysicalResourceId.of(`${name}#${action}`),
      ...(ignoreErrorCodesMatching && { ignoreErrorCodesMatching }),
    });
    const onGroup = (actions: string[]) => AwsCustomResourcePolicy.fromStatements([new PolicyStatement({ actions, resources: [arn, `${arn}:*`] })]);
    const common = { installLatestAwsSdk: false, memorySize: 256, logGroup: props.providerLogs };
    const made = new AwsCustomResource(this, 'Made', {
      ...common,
      onCreate: call('createLogGroup', { kmsKeyId: props.key.keyArn }, 'ResourceAlreadyExistsException'),
      onUpdate: call('createLogGroup', { kmsKeyId: props.key.keyArn }, 'ResourceAlreadyExistsException'),
      ...(props.removeOnDelete && { onDelete: call('deleteLogGroup', {}, 'ResourceNotFoundException') }),
      policy: onGroup(['logs:CreateLogGroup', ...(props.removeOnDelete ? ['logs:DeleteLogGroup'] : [])]),
    });
    const retention = new AwsCustomResource(this, 'Retention', {
      ...common,
      onCreate: call('putRetentionPolicy', { retentionInDays: LOG_RETENTION }),
      onUpdate: call('putRetentionPolicy', { retentionInDays: LOG_RETENTION }),
      policy: onGroup(['logs:PutRetentionPolicy']),
    });
    // a group SNS made has no key: associated here (CloudWatch Logs may use the logs key for this account's groups: lib/keys.ts)
    const encrypted = new AwsCustomResource(this, 'Key', {
      ...common,
      onCreate: call('associateKmsKey', { kmsKeyId: props.key.keyArn }),
      onUpdate: call('associateKmsKey', { kmsKeyId: props.key.keyArn }),
      policy: onGroup(['logs:AssociateKmsKey']),
    });
    retention.node.addDependency(made);
    encrypted.node.addDependency(made);
    const oneGroup = `CloudWatch Logs names a log group's ARN with and without its ":*" (its streams), and authorises these calls on one or the other: this group (${name}) only, either way.`;
    for (const resource of [made, retention, encrypted]) acknowledge(resource, { [`AwsSolutions-IAM5[Resource::${asNagShows(this, `${arn}:*`)}]`]: oneGroup });
    this.group = LogGroup.fromLogGroupName(this, 'Group', name);
  }
}

/**
 * AwsCustomResource calls the SNS API with a function of CDK's own (a singleton per stack), whose
 * findings are CDK's choices, not ours: it runs once per deploy, when CloudFormation asks.
 */
function acknowledgeProvider(scope: Construct): void {
  const provider = Stack.of(scope).node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider) throw new Error("CDK's AwsCustomResource function has moved: acknowledge its findings where it now is (lib/sms-receipts.ts)");
  acknowledge(provider, {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': "CDK's AwsCustomResource role: logging only.",
    'Serverless-LambdaTracing': "CDK's AwsCustomResource function makes one SNS call per deploy, invoked by CloudFormation: nothing to trace.",
    'Serverless-LambdaDLQ': 'CloudFormation invokes it and waits for its answer: a failure fails the deploy, which rolls back.',
  });
}
