// What a handler is wired to in AWS: the adapters built from the environment variables its
// registry entry's needs set (lambdas/environment.ts). Called once, at module scope, so a
// missing variable fails the cold start.
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { ENV, journeyStateMachineEnv, requireEnv } from '../../environment';
import type { CallbackDeps } from '../../domain/cases/callbacks';
import type { SubmissionDeps } from '../../domain/journeys/submissions';
import type { TransitionDeps } from '../../domain/cases/transitions';
import type { CaseStore, Clock, PerformanceStore, SessionStore } from '../../domain/ports';
import { DynamoSessionStore } from './dynamodb-session-store';
import type { SignInConfig } from './sign-in-config';
import type { Journey } from '../../domain/shared/reference';
import { DynamoCaseStore, documentClient } from './dynamodb-case-store';
import { DynamoPerformanceStore } from './dynamodb-performance-store';
import type { PerformanceDeps } from '../../domain/performance/performance-tally';
import { DynamoIdempotencyStore } from './dynamodb-idempotency';
import { SnsMilestonePublisher } from './sns';
import { SfnJourneyEngine } from './step-functions';
import { CloudWatchMetrics } from './metrics';
import { log } from './logger';
import { onPastCalendar } from '../../domain/shared/working-days';
import { METRIC } from '../../domain/shared/metrics';

/** The one clock: Lambda's own, read once per action by the rules. */
export const clock: Clock = () => new Date();

/** The one metrics writer of the function, shared by everything that counts. */
export const metrics = new CloudWatchMetrics();

// A service-standard date counted past the end of the bank-holiday calendar is said, not silent:
// a log line and the BankHolidaysMissing metric, which alarms.
onPastCalendar((event) => {
  log.error('working days counted past the end of the bank-holiday calendar; extend catalogue/bank-holidays.json', { ...event });
  metrics.count(METRIC.bankHolidaysMissing);
});

export const caseStore = (db = documentClient()): CaseStore => new DynamoCaseStore(db, requireEnv(ENV.caseTable), clock);

/** For whatever moves a case between stages or announces milestones. */
export function transitionDeps(store: CaseStore = caseStore()): TransitionDeps {
  return { store, milestones: new SnsMilestonePublisher(new SNSClient({}), requireEnv(ENV.milestoneTopic), log), metrics, log, clock };
}

/** The service's own figures (in the case table, under their own keys: needs performance:read or performance:write). */
export const performanceStore = (db = documentClient()): PerformanceStore => new DynamoPerformanceStore(db, requireEnv(ENV.caseTable), clock);

/** For the steps that count a case towards the service's figures as they move it. */
export function countingDeps(): TransitionDeps & PerformanceDeps {
  const db = documentClient();
  return { ...transitionDeps(caseStore(db)), performance: performanceStore(db) };
}

/** For the submission of a case that starts `journey`. */
export function submissionDeps(journey: Journey): SubmissionDeps {
  const db = documentClient();
  const store = caseStore(db);
  return {
    ...transitionDeps(store),
    idempotency: new DynamoIdempotencyStore(db, requireEnv(ENV.caseTable)),
    journeys: new SfnJourneyEngine(new SFNClient({}), { [journey]: requireEnv(journeyStateMachineEnv(journey)) }),
  };
}

/** For handing a caseworker's decision or a citizen's answer to a waiting journey. */
export function callbackDeps(): CallbackDeps {
  return { store: caseStore(), journeys: new SfnJourneyEngine(new SFNClient({}), {}), clock };
}

/** For a citizen's answer: handed to the waiting journey, after the date of birth (whose wrong tries can pause the case and text the citizen). */
export function answerDeps(): CallbackDeps & TransitionDeps {
  const store = caseStore();
  return { ...transitionDeps(store), journeys: new SfnJourneyEngine(new SFNClient({}), {}) };
}

/** The caseworker console's sessions. */
export const sessionStore = (db = documentClient()): SessionStore => new DynamoSessionStore(db, requireEnv(ENV.sessionTable));

/** Where caseworkers sign in: the user pool's hosted sign-in in AWS, the development sign-in locally. */
export function signInConfig(): SignInConfig {
  try {
    return JSON.parse(requireEnv(ENV.signIn)) as SignInConfig;
  } catch (error) {
    throw new Error(`${ENV.signIn} is not the sign-in configuration: ${(error as Error).message}`);
  }
}

