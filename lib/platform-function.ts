// The one function construct and the one binder. Every function in the registry
// (lambdas/functions.ts) runs with the same runtime, architecture, tracing, log retention and
// bundling, and gets exactly what its needs say: the grant and the environment variable the
// handler reads, set together, so neither can be forgotten.
import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { FunctionSpec, Need } from '../lambdas/functions';
import { ENV, journeyStateMachineEnv } from '../lambdas/environment';
import type { Journey } from '../lambdas/domain/reference';
import type { SignInConfig } from '../lambdas/adapters/aws/sign-in-config';
import { BUNDLING } from './bundling';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Long enough to look into a complaint about last month; the logs carry no personal data. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

// Exactly the calls the adapters make: no Scan on any request path, no deletes.
const TABLE_ACTIONS = {
  'cases:read': ['dynamodb:GetItem', 'dynamodb:Query'],
  // writes include reads: every change is a conditional update over the current case
  'cases:write': ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
} as const;

/** Exactly the calls the session adapter makes on the session table: no Query, no Scan; only signing in and out makes or ends one. */
export const SESSION_ACTIONS = {
  'sessions:use': ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  'sessions:write': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
} as const;

/** What the functions' needs are bound to. */
export interface PlatformResources {
  readonly table: ITable;
  readonly milestones: ITopic;
  /** the journeys' state machines; only functions that start or answer journeys need them */
  readonly stateMachines?: Readonly<Partial<Record<Journey, IStateMachine>>>;
  /** the fingerprinted static assets' URL paths, logical name to path ({"styles.css": "/assets/styles-….css"}); only pages need them */
  readonly assetPaths?: Readonly<Record<string, string>>;
  /** the caseworker console's session table; only the console's pages need it */
  readonly sessionTable?: ITable;
  /** where caseworkers sign in (lib/caseworkers.ts); only the console's pages need it */
  readonly signIn?: SignInConfig;
}

export class PlatformFunction extends NodejsFunction {
  constructor(
    scope: Construct,
    readonly registered: FunctionSpec,
    resources: PlatformResources,
  ) {
    super(scope, registered.name, {
      entry: path.join(PROJECT_ROOT, 'lambdas', `${registered.entry}.ts`),
      description: registered.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      // Its own log group, so retention is ours to set rather than "never expire".
      logGroup: new LogGroup(scope, `${registered.name}Logs`, { retention: LOG_RETENTION }),
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
  }

  private bind(need: Need, resources: PlatformResources): void {
    switch (need) {
      case 'cases:read':
      case 'cases:write':
        resources.table.grant(this, ...TABLE_ACTIONS[need]);
        this.addEnvironment(ENV.caseTable, resources.table.tableName);
        return;
      case 'milestones:publish':
        resources.milestones.grantPublish(this);
        this.addEnvironment(ENV.milestoneTopic, resources.milestones.topicArn);
        return;
      case 'journeys:start':
        if (!this.registered.journeys?.length) throw new Error(`${this.registered.name} starts journeys but names none in lambdas/functions.ts`);
        for (const journey of this.registered.journeys) {
          const stateMachine = this.stateMachine(resources, journey);
          stateMachine.grantStartExecution(this);
          this.addEnvironment(journeyStateMachineEnv(journey), stateMachine.stateMachineArn);
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
        return;
      case 'assets:link':
        // Known at synth time (the assets are built first), so a plain value, not a grant.
        if (!resources.assetPaths) throw new Error(`${this.registered.name} links to the static assets, but they are not built before it (give the resources assetPaths)`);
        this.addEnvironment(ENV.assetPaths, JSON.stringify(resources.assetPaths));
        return;
      case 'sessions:use':
      case 'sessions:write':
        if (!resources.sessionTable) throw new Error(`${this.registered.name} keeps caseworkers' sessions, but the session table is not built before it (give the resources sessionTable)`);
        resources.sessionTable.grant(this, ...SESSION_ACTIONS[need]);
        this.addEnvironment(ENV.sessionTable, resources.sessionTable.tableName);
        return;
      case 'caseworkers:sign-in':
        if (!resources.signIn) throw new Error(`${this.registered.name} signs caseworkers in, but the sign-in is not built before it (give the resources signIn)`);
        // Deploy-time values (the client id, the site's and the sign-in domain's addresses): one
        // JSON string that CloudFormation completes.
        this.addEnvironment(ENV.signIn, Stack.of(this).toJsonString(resources.signIn));
        return;
    }
  }

  private stateMachine(resources: PlatformResources, journey: Journey): IStateMachine {
    const stateMachine = resources.stateMachines?.[journey];
    if (!stateMachine) throw new Error(`${this.registered.name} needs the ${journey} journey, which is not built before it`);
    return stateMachine;
  }
}
