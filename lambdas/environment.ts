// The environment variables that tell a function where its resources are: named once here, set
// by CDK's binder (with the grant that goes with each need) and by the local platform, read by
// the adapters at start-up.
import type { Journey } from './domain/reference';
import type { Need } from './functions';

export const ENV = {
  /** the case table (needs cases:read, cases:write) */
  caseTable: 'TABLE_NAME',
  /** the milestone topic (needs milestones:publish) */
  milestoneTopic: 'MILESTONE_TOPIC_ARN',
} as const;

/** The state machine that runs a journey (needs journeys:start). */
export const journeyStateMachineEnv = (journey: Journey): string => `${journey.toUpperCase()}_STATE_MACHINE_ARN`;

/** The variables a need sets; a task token names its execution, and an SMS needs no address. */
export function environmentOf(need: Need, journeys: readonly Journey[] = []): string[] {
  switch (need) {
    case 'cases:read':
    case 'cases:write':
      return [ENV.caseTable];
    case 'milestones:publish':
      return [ENV.milestoneTopic];
    case 'journeys:start':
      return journeys.map(journeyStateMachineEnv);
    case 'journeys:answer':
    case 'sms:send':
      return [];
  }
}

/**
 * Configuration is read once, at start-up: a missing setting fails the cold start with a message
 * that names it, not the hundredth request.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
