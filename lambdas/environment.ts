// What a function may need, and the environment variables that tell it where those resources
// are: named once here, set by CDK's binder (with the grant that goes with each need) and by the
// local platform, read by the adapters at start-up.
import type { Journey } from './domain/shared/reference';

/**
 * What a function may do, in one vocabulary (the registry, lambdas/functions.ts, gives each
 * function its needs). CDK grants each need and sets the variables below that go with it together.
 */
export type Need =
  /** read a case by its reference (GetItem) */
  | 'cases:read'
  /** list a queue: the references and dates the queue index holds, no personal data (Query on that index) */
  | 'cases:queue'
  /** read and change cases (conditional writes), and keep idempotency keys beside them */
  | 'cases:write'
  /** publish milestones to the milestone topic */
  | 'milestones:publish'
  /** start executions of the journeys the function names */
  | 'journeys:start'
  /** hand a result to a journey waiting on a task token */
  | 'journeys:answer'
  /** send SMS to phone numbers (SNS Publish with PhoneNumber) */
  | 'sms:send'
  /** link its pages to the fingerprinted static assets (styles, script) */
  | 'assets:link'
  /** read caseworkers' console sessions and keep them alive (the session table) */
  | 'sessions:use'
  /** make and end caseworkers' console sessions, as well as use them (signing in and out) */
  | 'sessions:write'
  /** sign caseworkers in: the user pool's hosted sign-in (the development sign-in locally) */
  | 'caseworkers:sign-in'
  /** read the service's published figures (the performance items of the case table, never a case: GetItem, BatchGetItem) */
  | 'performance:read'
  /** count cases towards the service's figures and keep what is published from them (those items only) */
  | 'performance:write'
  /**
   * rotate the secret CloudFront sends the API (X-Origin-Verify): its versions in Secrets Manager,
   * the API's web ACL rule that trusts it and the CloudFront distribution's origin header
   */
  | 'origin-secret:rotate';

export const ENV = {
  /** the case table (needs cases:read, cases:queue, cases:write, performance:read, performance:write) */
  caseTable: 'TABLE_NAME',
  /** the milestone topic (needs milestones:publish) */
  milestoneTopic: 'MILESTONE_TOPIC_ARN',
  /** the URL paths of the fingerprinted assets, as JSON {"styles.css": "/assets/styles-….css"} (needs assets:link) */
  assetPaths: 'ASSET_PATHS',
  /** the console's session table (needs sessions:use, sessions:write) */
  sessionTable: 'SESSION_TABLE',
  /**
   * where caseworkers sign in, as JSON (needs caseworkers:sign-in): the identity provider's issuer,
   * authorisation, token, sign-out and key addresses, the console's client id and the site's own address
   */
  signIn: 'CASEWORKER_SIGN_IN',
  /**
   * what the origin secret's rotation changes, as JSON (needs origin-secret:rotate): the API's web
   * ACL (name, id, scope), the CloudFront distribution's id and the header's name
   */
  originSecretRotation: 'ORIGIN_SECRET_ROTATION',
  /** the stage (dev, prod) the function is deployed in, for its metrics' stage dimension: set for every function in AWS, whatever its needs */
  stage: 'STAGE',
} as const;

/** The state machine that runs a journey (needs journeys:start). */
export const journeyStateMachineEnv = (journey: Journey): string => `${journey.toUpperCase()}_STATE_MACHINE_ARN`;

/** The variables a need sets; a task token names its execution, and an SMS needs no address. */
export function environmentOf(need: Need, journeys: readonly Journey[] = []): string[] {
  switch (need) {
    case 'cases:read':
    case 'cases:queue':
    case 'cases:write':
    case 'performance:read':
    case 'performance:write':
      return [ENV.caseTable];
    case 'milestones:publish':
      return [ENV.milestoneTopic];
    case 'journeys:start':
      return journeys.map(journeyStateMachineEnv);
    case 'assets:link':
      return [ENV.assetPaths];
    case 'sessions:use':
    case 'sessions:write':
      return [ENV.sessionTable];
    case 'caseworkers:sign-in':
      return [ENV.signIn];
    case 'origin-secret:rotate':
      return [ENV.originSecretRotation];
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
