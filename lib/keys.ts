// The customer-managed KMS keys, rotated yearly, in the data stack: losing a key loses what it
// encrypted, so they are kept with the data and never go with the compute. One key per kind of
// use, so each key's policy names only the AWS services that need it:
// - cases: the case table, the console's session table and the backups of them;
// - messages: the milestone and alarm topics and every queue (SNS and CloudWatch put messages
//   in them);
// - logs: every log group, which can hold case references and caseworkers' reasons.
import { ArnFormat, Duration, RemovalPolicy, Stack, type IAspect } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';

export interface DataKeysProps {
  /** keep the keys when their stack goes (prod): what they encrypted stays readable */
  readonly keepsData: boolean;
  /** the stage, in each key's alias: alias/journey-tracker-<stage>/<use> */
  readonly stage: string;
}

export class DataKeys extends Construct {
  readonly cases: Key;
  readonly messages: Key;
  readonly logs: Key;

  constructor(scope: Construct, id: string, props: DataKeysProps) {
    super(scope, id);
    const key = (use: string, description: string) =>
      new Key(this, `${use[0].toUpperCase()}${use.slice(1)}Key`, {
        alias: `alias/journey-tracker-${props.stage}/${use}`,
        description: `Journey tracker (${props.stage}): ${description}`,
        enableKeyRotation: true,
        rotationPeriod: Duration.days(365),
        removalPolicy: props.keepsData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(props.keepsData ? 30 : 7),
      });
    this.cases = key('cases', 'the case table, the caseworker console sessions and their backups');
    this.messages = key('messages', 'the milestone and alarm topics and the dead-letter queues');
    this.logs = key('logs', 'the log groups of the functions, journeys, API and firewall');

    const stack = Stack.of(this);
    const sameAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    // SNS puts undeliverable milestones in an encrypted queue; CloudWatch alarms and SNS publish to encrypted topics.
    this.messages.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AwsServicesUseTheMessageKey',
        principals: [new ServicePrincipal('sns.amazonaws.com'), new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: sameAccount,
      }),
    );
    // CloudWatch Logs encrypts a log group's events with the key, for this account's log groups only.
    this.logs.addToResourcePolicy(logsMayUse(stack));
  }
}

/** The key policy statement that lets CloudWatch Logs in `stack`'s region use a key for the account's log groups. */
export function logsMayUse(stack: Stack): PolicyStatement {
  return new PolicyStatement({
    sid: 'CloudWatchLogsUseTheKey',
    principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  });
}

/**
 * Encrypts every log group in the scope it is applied to with the logs key, so none can be
 * forgotten: the functions', the journeys', the API's access logs, the firewall's. One set with a
 * key of its own keeps it.
 */
export class EncryptLogGroups implements IAspect {
  constructor(private readonly key: IKey) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnLogGroup && !node.kmsKeyId) node.kmsKeyId = this.key.keyArn;
  }
}
