// The journeys and their step functions, read by the CDK app and by the local platform: each
// journey's ASL file, and for each `${...}` substitution in it, the handler that runs the step.
import type { Journey } from './domain/reference';

export interface StepFunctionSpec {
  /** the handler module under lambdas/, without extension */
  readonly entry: string;
  readonly description: string;
  /** what the step may do, granted by CDK */
  readonly needs: readonly ('table:write' | 'topic:publish' | 'metrics')[];
}

export const JOURNEY_STEPS = {
  CheckDetailsFunctionArn: { entry: 'steps/check-details', description: 'Automated checks and the service standard', needs: ['table:write', 'topic:publish'] },
  AwaitDecisionFunctionArn: { entry: 'steps/await-decision', description: 'Queues a case for a caseworker decision (callback)', needs: ['table:write', 'topic:publish', 'metrics'] },
  AwaitInformationFunctionArn: { entry: 'steps/await-information', description: 'Asks the citizen for more information (callback)', needs: ['table:write', 'topic:publish'] },
  ResumeReviewFunctionArn: { entry: 'steps/resume-review', description: 'Returns a case to the caseworker queue after a request for information', needs: ['table:write'] },
  RecordOutcomeFunctionArn: { entry: 'steps/record-outcome', description: 'Records an approval or refusal', needs: ['table:write', 'topic:publish'] },
  PutOnHoldFunctionArn: { entry: 'steps/put-on-hold', description: 'Puts a case on hold when a step keeps failing', needs: ['table:write', 'topic:publish', 'metrics'] },
} as const satisfies Record<string, StepFunctionSpec>;

export type StepSubstitution = keyof typeof JOURNEY_STEPS;

export const JOURNEY_DEFINITIONS: Partial<Record<Journey, string>> = {
  application: 'statemachines/application.asl.json',
};

/** Environment variable that tells the API which state machine runs a journey. */
export const stateMachineEnv = (journey: Journey): string => `${journey.toUpperCase()}_STATE_MACHINE_ARN`;
