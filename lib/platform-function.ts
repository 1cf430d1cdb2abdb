// The one function construct and the one binder. Every function in the registry
// (lambdas/functions.ts) runs with the same runtime, architecture, tracing, log retention and
// bundling, and gets exactly what its needs say: the grant and the environment variable the
// handler reads, set together, so neither can be forgotten. Its role starts empty (no AWS managed
// policy): writing to its own log group, X-Ray, and then only its needs.
import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { FUNCTION_MEMORY_MB, type FunctionSpec, type Need } from '../lambdas/functions';
import { ENV, journeyStateMachineEnv } from '../lambdas/environment';
import type { Journey } from '../lambdas/domain/shared/reference';
import type { SignInConfig } from '../lambdas/adapters/aws/sign-in-config';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { acknowledge } from './acknowledge';
import { keyUseThrough } from './keys';
import { BUNDLING } from './bundling';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** How long a scheduled job may run: it reads whole queues, and texts or reminds a case at a time. */
export const SCHEDULED_JOB_TIMEOUT_SECONDS = 120;

/** How long a rotation step may run: testSecret waits for CloudFront to deploy a change to every edge (Lambda's longest). */
export const ROTATION_TIMEOUT_SECONDS = 900;

/** Long enough to look into a complaint about last month; the logs carry no personal data. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

// Exactly the calls the adapters make: no Scan on any request path, no deletes, and a Query only
// on the queue index, only for the functions that list a queue.
const TABLE_ACTIONS = {
  'cases:read': ['dynamodb:GetItem'],
  // writes include reads: every change is a conditional update over the current case
  'cases:write': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // a journey's summary (GetItem) and the days of its figures (BatchGetItem): the performance store's reads
  'performance:read': ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  // counting and keeping the summary are conditional UpdateItems (an item is made by its first ADD): no PutItem
  'performance:write': ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
} as const;

/**
 * The figures share the case table, so the performance needs are held to the items whose key
 * starts with the figures' prefix: whoever reads or counts figures (a public page, the notifier)
 * cannot read, or write, a case through them. A BatchGetItem is allowed only if every key it asks
 * for matches (ForAllValues).
 */
const FIGURES_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${CASE_TABLE.performancePrefix}*`] } } as const;

/** What a key must allow for a table's items to be read, or written too (DynamoDB uses the caller's permissions on the table's key). */
const TABLE_KEY_ACTIONS = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  write: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
} as const;
/** What a key must allow to publish to an encrypted topic. */
const TOPIC_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** Exactly the calls the session adapter makes on the session table: no Query, no Scan; only signing in and out makes or ends one. */
export const SESSION_ACTIONS = {
  'sessions:use': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  'sessions:write': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
} as const;

/** The alias every journey's executions start on: the version the last deploy published (lib/journeys.ts). */
export const LIVE_ALIAS = 'live';

/** A journey's state machine (for answering its tasks) and its `live` alias's ARN (for starting it). */
export interface LiveStateMachine extends IStateMachine {
  readonly liveAliasArn: string;
}

/** What the functions' needs are bound to. */
export interface PlatformResources {
  readonly table: ITable;
  readonly milestones: ITopic;
  /** the journeys' state machines; only functions that start or answer journeys need them */
  readonly stateMachines?: Readonly<Partial<Record<Journey, LiveStateMachine>>>;
  /** the fingerprinted static assets' URL paths, logical name to path ({"styles.css": "/assets/styles-….css"}); only pages need them */
  readonly assetPaths?: Readonly<Record<string, string>>;
  /** the caseworker console's session table; only the console's pages need it */
  readonly sessionTable?: ITable;
  /** where caseworkers sign in (lib/caseworkers.ts); only the console's pages need it */
  readonly signIn?: SignInConfig;
  /** the reserved concurrency of each public function (the stage's): one flood of requests cannot take the whole account's; 0 or none reserves nothing */
  readonly publicConcurrency?: number;
  /** the stage (dev, prod): every function's metrics carry it */
  readonly stage?: string;
  /** the secret CloudFront sends the API, and the two places it is set; only its rotation needs them */
  readonly originSecret?: OriginSecretResources;
}

/** The secret CloudFront adds to its requests to the API as a header, and what trusts or sends it. */
export interface OriginSecretResources {
  readonly secret: ISecret;
  /** the API's regional web ACL, whose rule leaves out of its rate limits what carries the header */
  readonly webAcl: CfnWebACL;
  readonly distribution: IDistribution;
  readonly headerName: string;
}

/** Longer than a request's 10 seconds: a scheduled job reads whole queues, a rotation waits for CloudFront. */
const TIMEOUT_SECONDS: Partial<Record<FunctionSpec['trigger'], number>> = { schedule: SCHEDULED_JOB_TIMEOUT_SECONDS, 'secret-rotation': ROTATION_TIMEOUT_SECONDS };

export class PlatformFunction extends NodejsFunction {
  constructor(
    scope: Construct,
    readonly registered: FunctionSpec,
    resources: PlatformResources,
  ) {
    // Its own log group, so retention is ours to set rather than "never expire".
    const logGroup = new LogGroup(scope, `${registered.name}Logs`, { retention: LOG_RETENTION });
    const role = new Role(scope, `${registered.name}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${registered.name}: ${registered.description}` });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    const isPublic = 'access' in registered && registered.access === 'public';
    super(scope, registered.name, {
      entry: path.join(PROJECT_ROOT, 'lambdas', `${registered.entry}.ts`),
      description: registered.description,
      role,
      // (0 would not mean "none" to Lambda but "never run": it is left out instead)
      ...(isPublic && resources.publicConcurrency && { reservedConcurrentExecutions: resources.publicConcurrency }),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: FUNCTION_MEMORY_MB,
      // a request or a step is done in well under a second; a scheduled job reads whole queues
      timeout: Duration.seconds(TIMEOUT_SECONDS[registered.trigger] ?? 10),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourceMap,
        target: BUNDLING.target,
        externalModules: [...BUNDLING.externalModules],
        mainFields: [...BUNDLING.mainFields],
        format: BUNDLING.format === 'cjs' ? OutputFormat.CJS : OutputFormat.ESM,
      },
    });
    for (const need of registered.needs) this.bind(need, resources);
    if (resources.stage) this.addEnvironment(ENV.stage, resources.stage);
    acknowledge(role, {
      'AwsSolutions-IAM5[Resource::*]': registered.needs.includes('sms:send')
        ? 'X-Ray (PutTraceSegments, PutTelemetryRecords) and SMS (Publish to a phone number) have no resource ARN to name; publishing to any topic is denied in the same policy.'
        : 'X-Ray (PutTraceSegments, PutTelemetryRecords) has no resource ARN to name; every other statement names its resources.',
    });
    acknowledge(this, { 'Serverless-LambdaDLQ': INVOCATION[registered.trigger] });
  }

  private bind(need: Need, resources: PlatformResources): void {
    switch (need) {
      case 'cases:read':
      case 'cases:write':
        this.grantTable(resources.table, TABLE_ACTIONS[need], need === 'cases:write' ? 'write' : 'read');
        this.addEnvironment(ENV.caseTable, resources.table.tableName);
        return;
      case 'performance:read':
      case 'performance:write':
        this.grantTable(resources.table, TABLE_ACTIONS[need], need === 'performance:write' ? 'write' : 'read', { leadingKeys: FIGURES_ONLY });
        this.addEnvironment(ENV.caseTable, resources.table.tableName);
        return;
      case 'cases:queue':
        // the queue index only (references, stages and dates: no personal data), never the table's items
        this.grantTable(resources.table, ['dynamodb:Query'], 'read', { index: CASE_TABLE.queueIndex.name });
        this.addEnvironment(ENV.caseTable, resources.table.tableName);
        return;
      case 'milestones:publish':
        this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [resources.milestones.topicArn] }));
        this.grantKey(resources.milestones.masterKey, TOPIC_KEY_ACTIONS, 'sns');
        this.addEnvironment(ENV.milestoneTopic, resources.milestones.topicArn);
        return;
      case 'journeys:start':
        if (!this.registered.journeys?.length) throw new Error(`${this.registered.name} starts journeys but names none in lambdas/functions.ts`);
        for (const journey of this.registered.journeys) {
          const stateMachine = this.stateMachine(resources, journey);
          // Started on the alias only, so a new case runs the version the last deploy published
          // and a running one keeps its own. Step Functions authorises a start through an alias
          // against the state machine's own ARN, with the alias's name in the
          // states:StateMachineQualifier key: the condition refuses a start without the alias
          // (the unqualified ARN, whose latest revision may not be published) or on a version.
          this.addToRolePolicy(
            new PolicyStatement({
              actions: ['states:StartExecution'],
              resources: [stateMachine.stateMachineArn, stateMachine.liveAliasArn],
              conditions: { StringEquals: { 'states:StateMachineQualifier': LIVE_ALIAS } },
            }),
          );
          this.addEnvironment(journeyStateMachineEnv(journey), stateMachine.liveAliasArn);
        }
        return;
      case 'journeys:answer':
        // A task token names its execution, and can come from any journey: no variable to set.
        for (const journey of Object.keys(resources.stateMachines ?? {}) as Journey[]) this.stateMachine(resources, journey).grantTaskResponse(this);
        if (!resources.stateMachines) throw new Error(`${this.registered.name} answers journeys, but the journeys are not built before it`);
        return;
      case 'sms:send':
        // An SMS goes to a phone number, which has no ARN: SNS only authorises it on "*".
        this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'], resources: ['*'] }));
        // ...and only to phone numbers: never to a topic (the milestone feed, the ops alarms, or another agency's)
        this.addToRolePolicy(new PolicyStatement({ effect: Effect.DENY, actions: ['sns:Publish'], resources: [`arn:${Stack.of(this).partition}:sns:*:*:*`] }));
        return;
      case 'assets:link':
        // Known at synth time (the assets are built first), so a plain value, not a grant.
        if (!resources.assetPaths) throw new Error(`${this.registered.name} links to the static assets, but they are not built before it (give the resources assetPaths)`);
        this.addEnvironment(ENV.assetPaths, JSON.stringify(resources.assetPaths));
        return;
      case 'sessions:use':
      case 'sessions:write':
        if (!resources.sessionTable) throw new Error(`${this.registered.name} keeps caseworkers' sessions, but the session table is not built before it (give the resources sessionTable)`);
        this.grantTable(resources.sessionTable, SESSION_ACTIONS[need], 'write');
        this.addEnvironment(ENV.sessionTable, resources.sessionTable.tableName);
        return;
      case 'caseworkers:sign-in':
        if (!resources.signIn) throw new Error(`${this.registered.name} signs caseworkers in, but the sign-in is not built before it (give the resources signIn)`);
        // Deploy-time values (the client id, the site's and the sign-in domain's addresses): one
        // JSON string that CloudFormation completes.
        this.addEnvironment(ENV.signIn, Stack.of(this).toJsonString(resources.signIn));
        return;
      case 'origin-secret:rotate': {
        const rotated = resources.originSecret;
        if (!rotated) throw new Error(`${this.registered.name} rotates the origin secret, but it is not built before it (give the resources originSecret)`);
        const stack = Stack.of(this);
        // the one secret: its versions and their labels (the new value is made here, not by GetRandomPassword, which has no resource to name)
        this.addToRolePolicy(
          new PolicyStatement({
            actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
            resources: [rotated.secret.secretArn],
          }),
        );
        // the one web ACL: read it, and write it back with the header's values changed
        this.addToRolePolicy(new PolicyStatement({ actions: ['wafv2:GetWebACL', 'wafv2:UpdateWebACL'], resources: [rotated.webAcl.attrArn] }));
        // the one distribution: its origin header, and whether a change has reached every edge
        this.addToRolePolicy(
          new PolicyStatement({
            actions: ['cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
            resources: [stack.formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: rotated.distribution.distributionId })],
          }),
        );
        this.addEnvironment(
          ENV.originSecretRotation,
          stack.toJsonString({
            webAcl: { name: rotated.webAcl.name, id: rotated.webAcl.attrId, scope: rotated.webAcl.scope },
            distributionId: rotated.distribution.distributionId,
            headerName: rotated.headerName,
          }),
        );
        return;
      }
      default: {
        // a need added to lambdas/environment.ts without its grant here fails to compile, rather than deploying a function that cannot do its job
        const unbound: never = need;
        throw new Error(`${this.registered.name} needs ${String(unbound)}, which nothing grants`);
      }
    }
  }

  /** Exactly `actions` on the table (or on one of its indexes only, or on some of its items only), and what its key must allow for them. */
  private grantTable(table: ITable, actions: readonly string[], use: keyof typeof TABLE_KEY_ACTIONS, on: { index?: string; leadingKeys?: typeof FIGURES_ONLY } = {}): void {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [on.index ? `${table.tableArn}/index/${on.index}` : table.tableArn],
        ...(on.leadingKeys && { conditions: on.leadingKeys }),
      }),
    );
    this.grantKey(table.encryptionKey, TABLE_KEY_ACTIONS[use], 'dynamodb');
  }

  /** The key's `actions`, only through `service` (DynamoDB, SNS): never the key directly. */
  private grantKey(key: IKey | undefined, actions: readonly string[], service: 'dynamodb' | 'sns'): void {
    if (key) this.addToRolePolicy(keyUseThrough(key, service, actions));
  }

  private stateMachine(resources: PlatformResources, journey: Journey): LiveStateMachine {
    const stateMachine = resources.stateMachines?.[journey];
    if (!stateMachine) throw new Error(`${this.registered.name} needs the ${journey} journey, which is not built before it`);
    return stateMachine;
  }
}

/**
 * How each kind of function is invoked, and so why it has, or needs, no dead-letter queue: only
 * asynchronous invocations (SNS, EventBridge Scheduler) can fail with nobody waiting, and those
 * have an on-failure destination (lib/notifications.ts, lib/reminders.ts, lib/sms-receipts.ts).
 */
const INVOCATION: Record<FunctionSpec['trigger'], string> = {
  route: 'API Gateway invokes it synchronously and gives the caller its answer or error; a dead-letter queue only applies to asynchronous invocations.',
  page: 'API Gateway invokes it synchronously and gives the browser its answer or error; a dead-letter queue only applies to asynchronous invocations.',
  step: "Step Functions invokes it synchronously; the journey's Retry and Catch (to on hold, alarmed) handle a failure, and a dead-letter queue only applies to asynchronous invocations.",
  milestones: 'Invoked asynchronously by SNS, with an on-failure destination (the FailedNotifications queue) that keeps the event with the error: a destination rather than a dead-letter queue.',
  schedule: 'Invoked asynchronously by EventBridge Scheduler, with an on-failure destination (the MissedRuns queue) that keeps the event with the error: a destination rather than a dead-letter queue.',
  'sms-receipts': 'Invoked asynchronously by CloudWatch Logs (a subscription filter on the SMS delivery-status logs), with an on-failure destination (the FailedReceipts queue) that keeps the event with the error: a destination rather than a dead-letter queue.',
  'secret-rotation': "Secrets Manager invokes it synchronously, one step at a time, and records a failed step as a failed rotation (the new version stays AWSPENDING, and the rotation is tried again); its errors alarm. A dead-letter queue only applies to asynchronous invocations.",
};
