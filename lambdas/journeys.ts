// The journeys and their step functions, read by the CDK app and by the local platform: each
// journey's ASL file, and for each `${...}` substitution in it, the handler that runs the step.
import type { Journey } from './domain/reference';
import type { Stage } from './domain/case';

export interface StepFunctionSpec {
  /** the handler module under lambdas/, without extension */
  readonly entry: string;
  readonly description: string;
  /** what the step may do, granted by CDK */
  readonly needs: readonly ('table:write' | 'topic:publish' | 'metrics')[];
  /** the stages the step can move a case to, so tests can check each has citizen text */
  readonly stages: readonly Stage[];
}

export const JOURNEY_STEPS = {
  CheckDetailsFunctionArn: { entry: 'steps/check-details', description: 'Automated checks and the service standard', needs: ['table:write', 'topic:publish'], stages: ['checks-complete'] },
  AwaitDecisionFunctionArn: { entry: 'steps/await-decision', description: 'Queues a case for a caseworker decision (callback)', needs: ['table:write', 'topic:publish', 'metrics'], stages: ['awaiting-decision', 'escalated'] },
  AwaitInformationFunctionArn: { entry: 'steps/await-information', description: 'Asks the citizen for more information (callback)', needs: ['table:write', 'topic:publish'], stages: ['information-needed'] },
  ResumeReviewFunctionArn: { entry: 'steps/resume-review', description: 'Returns a case to the caseworker queue after a request for information', needs: ['table:write'], stages: [] },
  RecordOutcomeFunctionArn: { entry: 'steps/record-outcome', description: 'Records an approval or refusal', needs: ['table:write', 'topic:publish'], stages: ['approved', 'refused'] },
  PutOnHoldFunctionArn: { entry: 'steps/put-on-hold', description: 'Puts a case on hold when a step keeps failing', needs: ['table:write', 'topic:publish', 'metrics'], stages: ['on-hold'] },
} as const satisfies Record<string, StepFunctionSpec>;

export type StepSubstitution = keyof typeof JOURNEY_STEPS;

export const JOURNEY_DEFINITIONS: Record<Journey, string> = {
  application: 'statemachines/application.asl.json',
  renewal: 'statemachines/renewal.asl.json',
  appeal: 'statemachines/appeal.asl.json',
};

/** Stages a case reaches outside its journey's steps: where it starts, and renewal reminders. */
export const STAGES_OUTSIDE_STEPS: Record<Journey, readonly Stage[]> = {
  application: ['received', 'renewal-due'],
  renewal: ['received', 'renewal-due'],
  appeal: ['received'],
};

/** The scheduled job that sends renewal reminders (EventBridge Scheduler in AWS, a timer locally). */
export const RENEWAL_REMINDERS = {
  entry: 'scheduled/renewal-reminders',
  description: 'Moves approved cases whose permit runs out soon to "renewal due" and tells the citizen',
  /** how often it runs; reminders are due by the day, so hourly is prompt enough */
  everyMinutes: 60,
} as const;

/** Environment variable that tells the API which state machine runs a journey. */
export const stateMachineEnv = (journey: Journey): string => `${journey.toUpperCase()}_STATE_MACHINE_ARN`;
