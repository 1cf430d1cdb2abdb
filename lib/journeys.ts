// The journeys: the one definition in statemachines/journey.asl.json deployed as one Standard
// state machine per journey (so each journey has its own metrics and alarms), whose `${...}`
// placeholders are the step functions of the registry.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { JOURNEYS, JOURNEY_DEFINITION, STEPS } from '../lambdas/functions';
import type { Journey } from '../lambdas/domain/reference';
import { LOG_RETENTION, PROJECT_ROOT, PlatformFunction } from './platform-function';
import type { JourneysProps } from './types';

const capitalised = (journey: Journey): string => journey[0].toUpperCase() + journey.slice(1);

export class Journeys extends Construct {
  readonly stateMachines: Readonly<Record<Journey, StateMachine>>;
  readonly steps: readonly PlatformFunction[];

  constructor(scope: Construct, id: string, props: JourneysProps) {
    super(scope, id);
    this.steps = STEPS.map((step) => new PlatformFunction(this, step, props.resources));
    const definitionPath = path.join(PROJECT_ROOT, JOURNEY_DEFINITION);
    checkPlaceholders(definitionPath);
    const substitutions = Object.fromEntries(this.steps.map((fn, i) => [STEPS[i].substitution, fn.functionArn]));

    const stateMachines = {} as Record<Journey, StateMachine>;
    for (const journey of JOURNEYS) {
      const name = capitalised(journey);
      const stateMachine = new StateMachine(this, `${name}Journey`, {
        comment: `The ${journey} journey`,
        definitionBody: DefinitionBody.fromFile(definitionPath),
        definitionSubstitutions: substitutions,
        // Standard, not Express: a caseworker decision waits on a task token for weeks.
        stateMachineType: StateMachineType.STANDARD,
        tracingEnabled: true,
        logs: {
          destination: new LogGroup(this, `${name}JourneyLogs`, { retention: LOG_RETENTION }),
          level: LogLevel.ERROR,
          // Execution data holds caseworkers' reasons, which can quote the citizen.
          includeExecutionData: false,
        },
      });
      for (const step of this.steps) step.grantInvoke(stateMachine);
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
