// The customer-managed KMS keys, rotated yearly, in the data stack: losing a key loses what it
// encrypted, so they are kept with the data and never go with the compute. One key per kind of
// use, so each key's policy names only the AWS services that need it:
// - cases: the case table and the console's session table;
// - messages: the milestone and alarm topics and every queue (SNS and CloudWatch put messages
//   in them);
// - logs: every log group, which can hold case references and caseworkers' reasons;
// - backups: the backup vault, where the stage keeps data (prod): a key of their own, so that
//   whoever may use the table's key is not thereby able to read or restore the backups.
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
  /** only where the stage keeps data (prod), the only stage with backups */
  readonly backups?: Key;

  constructor(scope: Construct, id: string, props: DataKeysProps) {
    super(scope, id);
    const key = (use: string, description: string) =>
      rotatedKey(this, `${use[0].toUpperCase()}${use.slice(1)}Key`, {
        alias: `alias/journey-tracker-${props.stage}/${use}`,
        description: `Journey tracker (${props.stage}): ${description}`,
        keepsData: props.keepsData,
      });
    this.cases = key('cases', 'the case table and the caseworker console sessions');
    this.messages = key('messages', 'the milestone and alarm topics and the dead-letter queues');
    this.logs = key('logs', 'the log groups of the functions, journeys, API and firewall');
    // AWS Backup uses the vault's key with the IAM permissions of whoever creates the vault and of
    // the backup role (AWSBackupServiceRolePolicyForBackup: kms:CreateGrant for AWS resources,
    // kms:DescribeKey), which the key policy's delegation to the account lets take effect: AWS
    // Backup documents no key policy statement for a service principal of its own.
    if (props.keepsData) this.backups = key('backups', 'the backups of the case table');

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

/**
 * A customer-managed key rotated yearly: retained with what it encrypted where the stage keeps
 * data, else deleted (after the shortest wait AWS allows) with its stack.
 */
export function rotatedKey(scope: Construct, id: string, props: { readonly description: string; readonly keepsData: boolean; readonly alias?: string }): Key {
  return new Key(scope, id, {
    alias: props.alias,
    description: props.description,
    enableKeyRotation: true,
    rotationPeriod: Duration.days(365),
    removalPolicy: props.keepsData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(props.keepsData ? 30 : 7),
  });
}

/** A grantee's use of a key, only through `service` in the key's region (kms:ViaService): never KMS called with it directly. */
export function keyUseThrough(key: IKey, service: 'dynamodb' | 'sns' | 'sqs', actions: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    actions: [...actions],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(key).region}.amazonaws.com` } },
  });
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

export interface EncryptLogGroupsOptions {
  /** keep the log groups when their stack goes (prod); delete them with it when false (dev) */
  readonly keepsData: boolean;
}

/**
 * Encrypts every log group in the scope it is applied to with the logs key, so none can be
 * forgotten: the functions', the journeys', the API's access logs, the firewall's. One set with a
 * key of its own keeps it. And each goes with its stack, or stays, as the stage says: CDK's
 * default would keep every one of them after `cdk destroy` of dev.
 */
export class EncryptLogGroups implements IAspect {
  private readonly removalPolicy: RemovalPolicy;

  constructor(
    private readonly key: IKey,
    { keepsData }: EncryptLogGroupsOptions,
  ) {
    this.removalPolicy = keepsData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  }

  visit(node: IConstruct): void {
    if (!(node instanceof CfnLogGroup)) return;
    if (!node.kmsKeyId) node.kmsKeyId = this.key.keyArn;
    node.applyRemovalPolicy(this.removalPolicy);
  }
}
