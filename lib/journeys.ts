// The journeys: one Standard state machine per ASL file in statemachines/, whose `${...}`
// placeholders are the step functions built here from the same table the local platform reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { JOURNEY_DEFINITIONS, JOURNEY_STEPS, type StepSubstitution } from '../lambdas/journeys';
import type { Journey } from '../lambdas/domain/reference';
import { functionId } from '../lambdas/routes';
import { JourneyFunction, LOG_RETENTION, PROJECT_ROOT } from './journey-function';
import type { JourneyStateMachines, JourneysProps } from './types';

export class Journeys extends Construct {
  readonly stateMachines: JourneyStateMachines;
  readonly steps: Readonly<Record<StepSubstitution, JourneyFunction>>;

  constructor(scope: Construct, id: string, props: JourneysProps) {
    super(scope, id);
    const steps = {} as Record<StepSubstitution, JourneyFunction>;
    for (const [substitution, spec] of Object.entries(JOURNEY_STEPS) as [StepSubstitution, (typeof JOURNEY_STEPS)[StepSubstitution]][]) {
      const step = new JourneyFunction(this, functionId(spec.entry), { entry: spec.entry, description: spec.description });
      for (const need of spec.needs) {
        switch (need) {
          case 'table:write':
            step.bindTable(props.table, 'write');
            break;
          case 'topic:publish':
            step.bindMilestones(props.milestones);
            break;
          case 'metrics':
            break; // embedded metric format: metrics travel in the function's own logs
        }
      }
      steps[substitution] = step;
    }
    this.steps = steps;

    const stateMachines: Partial<Record<Journey, StateMachine>> = {};
    for (const [journey, file] of Object.entries(JOURNEY_DEFINITIONS) as [Journey, string][]) {
      const definitionPath = path.join(PROJECT_ROOT, file);
      const used = stepsUsedBy(definitionPath);
      const name = functionId(journey);
      const stateMachine = new StateMachine(this, `${name}Journey`, {
        comment: `The ${journey} journey`,
        definitionBody: DefinitionBody.fromFile(definitionPath),
        definitionSubstitutions: Object.fromEntries(used.map((substitution) => [substitution, steps[substitution].functionArn])),
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
      for (const substitution of used) steps[substitution].grantInvoke(stateMachine);
      stateMachines[journey] = stateMachine;
    }
    this.stateMachines = stateMachines;
  }
}

/**
 * The step substitutions an ASL file uses. A placeholder that names no step fails the synth
 * here, rather than the deployment later with a less helpful message.
 */
function stepsUsedBy(definitionPath: string): StepSubstitution[] {
  const placeholders = new Set([...fs.readFileSync(definitionPath, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
  const unknown = [...placeholders].filter((name) => !Object.hasOwn(JOURNEY_STEPS, name));
  if (unknown.length > 0) {
    throw new Error(`${path.relative(PROJECT_ROOT, definitionPath)} uses ${unknown.map((name) => `\${${name}}`).join(', ')}, which lambdas/journeys.ts does not define as a step`);
  }
  return [...placeholders] as StepSubstitution[];
}
