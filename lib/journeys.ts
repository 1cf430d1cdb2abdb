// The journeys: the one definition in statemachines/journey.asl.json deployed as one Standard
// state machine per journey (so each journey has its own metrics and alarms), whose `${...}`
// placeholders are the step functions of the registry. Each is published as a version behind a
// `live` alias, and executions start on the alias (lib/platform-function.ts): a deploy that
// changes a journey publishes a new version for new cases, and a case already on its way (some
// wait weeks for a caseworker) carries on with the definition it started with.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnStateMachineAlias, CfnStateMachineVersion, DefinitionBody, LogLevel, StateMachine, StateMachineType, type StateMachineProps } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { JOURNEYS, JOURNEY_DEFINITION, STEPS } from '../lambdas/functions';
import type { Journey } from '../lambdas/domain/shared/reference';
import { acknowledge } from './acknowledge';
import { LIVE_ALIAS, LOG_RETENTION, PROJECT_ROOT, PlatformFunction, type LiveStateMachine } from './platform-function';
import type { JourneysProps } from './types';

const capitalised = (journey: Journey): string => journey[0].toUpperCase() + journey.slice(1);

/**
 * Where the journeys log. Step Functions adds every log group it delivers to to the account's
 * CloudWatch Logs resource policy, which holds 5,120 characters, unless its name starts with
 * /aws/vendedlogs/, which one statement covers: a few teardowns and redeploys of names outside it
 * would fill the policy, and then no state machine in the account could set up its logging.
 */
export const JOURNEY_LOG_PREFIX = '/aws/vendedlogs/states/';

/**
 * A journey's state machine with its published version and its `live` alias. It is still a
 * StateMachine (metrics, alarms and task-response grants work on it as before); what starts
 * executions uses `liveAliasArn`.
 */
export class JourneyStateMachine extends StateMachine implements LiveStateMachine {
  /** the version this deploy published: a new one exactly when the definition or configuration changed */
  readonly version: CfnStateMachineVersion;
  readonly liveAlias: CfnStateMachineAlias;
  readonly liveAliasArn: string;

  constructor(scope: Construct, id: string, props: StateMachineProps) {
    super(scope, id, props);
    // The revision id changes exactly when the definition or configuration does, and a changed
    // property replaces the version: CloudFormation publishes the new one, moves the alias to
    // it, and (retained) leaves the old one for the executions still running on it and for a
    // rollback. Deleting the state machine (tearing a stage down) deletes its versions with it.
    this.version = new CfnStateMachineVersion(this, 'Version', {
      stateMachineArn: this.stateMachineArn,
      stateMachineRevisionId: this.stateMachineRevisionId,
      description: `${props.comment ?? id}, as deployed`,
    });
    this.version.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.liveAlias = new CfnStateMachineAlias(this, 'Live', {
      name: LIVE_ALIAS,
      description: 'Where new executions start: the version the last deploy published',
      routingConfiguration: [{ stateMachineVersionArn: this.version.attrArn, weight: 100 }],
    });
    this.liveAliasArn = this.liveAlias.attrArn;
  }
}

export class Journeys extends Construct {
  readonly stateMachines: Readonly<Record<Journey, JourneyStateMachine>>;
  readonly steps: readonly PlatformFunction[];

  constructor(scope: Construct, id: string, props: JourneysProps) {
    super(scope, id);
    this.steps = STEPS.map((step) => new PlatformFunction(this, step, props.resources));
    const definitionPath = path.join(PROJECT_ROOT, JOURNEY_DEFINITION);
    checkPlaceholders(definitionPath);
    const substitutions = Object.fromEntries(this.steps.map((fn, i) => [STEPS[i].substitution, fn.functionArn]));

    const stateMachines = {} as Record<Journey, JourneyStateMachine>;
    for (const journey of JOURNEYS) {
      const name = capitalised(journey);
      // The construct id is how the local platform tells the journeys apart in a synthesised
      // assembly (local/assembly.ts): `<Name>Journey`.
      const stateMachine = new JourneyStateMachine(this, `${name}Journey`, {
        comment: `The ${journey} journey`,
        definitionBody: DefinitionBody.fromFile(definitionPath),
        definitionSubstitutions: substitutions,
        // Standard, not Express: a caseworker decision waits on a task token for weeks.
        stateMachineType: StateMachineType.STANDARD,
        tracingEnabled: true,
        logs: {
          destination: new LogGroup(this, `${name}JourneyLogs`, {
            // The stack's name and the last part of its id (a UUID): new for each stack created,
            // so a stage deployed again after a teardown does not find the group prod retained in
            // its way, and within the vended-logs prefix, so a new name costs the policy nothing.
            logGroupName: `${JOURNEY_LOG_PREFIX}${Stack.of(this).stackName}-${journey}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
            retention: LOG_RETENTION,
          }),
          // Every state entered and left, so ops can follow a case through its journey...
          level: LogLevel.ALL,
          // ...but not its data: execution data holds caseworkers' reasons, which can quote the citizen.
          includeExecutionData: false,
        },
      });
      // The definition invokes each step by its unqualified ARN: that, and none of its versions.
      stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: this.steps.map((step) => step.functionArn) }));
      acknowledge(stateMachine.role, {
        'AwsSolutions-IAM5[Resource::*]':
          'X-Ray (PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and the delivery of its logs to CloudWatch Logs (the logs:*LogDelivery actions, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) have no resource-level permissions; Step Functions needs them on "*". Every other statement names its resources.',
      });
      stateMachines[journey] = stateMachine;
    }
    this.stateMachines = stateMachines;
  }
}

/**
 * The definition's placeholders and the registry's steps are the same set: a placeholder that
 * names no step, or a step the definition never calls, fails the synth here rather than the
 * deployment later with a less helpful message.
 */
function checkPlaceholders(definitionPath: string): void {
  const placeholders = new Set([...fs.readFileSync(definitionPath, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
  const unknown = [...placeholders].filter((name) => !STEPS.some((step) => step.substitution === name));
  const unused = STEPS.filter((step) => !placeholders.has(step.substitution)).map((step) => step.name);
  if (unknown.length > 0 || unused.length > 0) {
    throw new Error(`${path.relative(PROJECT_ROOT, definitionPath)} and lambdas/functions.ts disagree: placeholders with no step: ${unknown.join(', ') || 'none'}; steps never called: ${unused.join(', ') || 'none'}`);
  }
}
