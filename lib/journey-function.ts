// The one function construct: every handler runs with the same runtime, architecture, tracing,
// log retention and bundling, and gets table, topic and journey access through helpers that
// grant the permission and set the variable the handler reads together.
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { stateMachineEnv } from '../lambdas/journeys';
import type { Journey } from '../lambdas/domain/reference';
import { BUNDLING } from './bundling';
import type { JourneyFunctionProps } from './types';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

// Exactly the calls the handlers make: no Scan on any request path, no deletes.
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  write: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
} as const;

/** Long enough to look into a complaint about last month; the logs carry no personal data. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

export class JourneyFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: JourneyFunctionProps) {
    super(scope, id, {
      entry: path.join(PROJECT_ROOT, 'lambdas', `${props.entry}.ts`),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      // Its own log group, so retention is ours to set rather than "never expire".
      logGroup: new LogGroup(scope, `${id}Logs`, { retention: LOG_RETENTION }),
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
  }

  /** 'write' includes reads: every change is a conditional update over the current case. */
  bindTable(table: ITable, access: keyof typeof TABLE_ACTIONS): this {
    table.grant(this, ...TABLE_ACTIONS[access]);
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  bindMilestones(topic: ITopic): this {
    topic.grantPublish(this);
    this.addEnvironment('MILESTONE_TOPIC_ARN', topic.topicArn);
    return this;
  }

  /**
   * 'start' starts executions of the journey, found by its environment variable; 'callback'
   * answers task tokens, which name their execution, so it needs no variable.
   */
  bindJourney(journey: Journey, stateMachine: IStateMachine, access: 'start' | 'callback'): this {
    if (access === 'start') {
      stateMachine.grantStartExecution(this);
      this.addEnvironment(stateMachineEnv(journey), stateMachine.stateMachineArn);
    } else {
      stateMachine.grantTaskResponse(this);
    }
    return this;
  }
}
