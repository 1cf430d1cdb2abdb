// The ports: what the service's rules need from the world, as small interfaces. The AWS adapters
// (lambdas/adapters/aws/) implement them on DynamoDB, SNS and Step Functions; the in-memory
// adapters (lambdas/adapters/memory/) implement the same for fast unit tests.
import type { CaseRecord, Queue } from './cases/case';
import type { CaseChange, UpdateOptions } from './cases/case-change';
import type { MilestoneEvent } from './cases/milestones';
import type { Journey } from './shared/reference';
import type { MetricName } from './shared/metrics';
import type { Session } from './casework/sessions';
import type { DayFigures, Estimate, JourneySummary, QueuePositions, Tally } from './performance/performance';

/** Every rule reads the time from a clock it is given, once per action, so tests can fix it. */
export type Clock = () => Date;

export interface QueueEntry {
  readonly reference: string;
  readonly journey: string;
  readonly service: string;
  readonly stage: string;
  readonly queuedAt: string;
  readonly expectedBy?: string;
  /** when the citizen was last told something */
  readonly lastMilestoneAt?: string;
  /** when the case was received */
  readonly createdAt?: string;
  readonly complex: boolean;
}

/**
 * The cases. Every change is conditional on the version the change was decided on, so two
 * writers cannot both win and nothing is overwritten blindly.
 */
export interface CaseStore {
  /** stores a new case; throws CaseAlreadyExists when the reference is taken */
  create(record: CaseRecord): Promise<void>;
  get(reference: string): Promise<CaseRecord | undefined>;
  /** throws CaseNotFound when there is no such case */
  require(reference: string): Promise<CaseRecord>;
  /**
   * Reads the case, asks `decide` what to change, and writes it only if nobody changed the case
   * in between; on a lost race it reads again and asks again (then CaseConflict). `decide`
   * returns undefined when there is nothing to do (a step retried after its write landed) and
   * may throw to refuse the change.
   */
  update(reference: string, decide: (current: CaseRecord) => CaseChange | undefined, options?: UpdateOptions): Promise<{ record: CaseRecord; changed: boolean }>;
  /** references in a queue due by `upTo` (an ISO time), oldest first */
  due(queue: Queue, upTo: string, limit?: number): Promise<string[]>;
  /** a caseworker queue page, oldest first; `cursor` is the `next` of the page before */
  queue(queue: Queue, limit: number, cursor?: string): Promise<{ cases: QueueEntry[]; next?: string }>;
}

/** Idempotency keys: a retried submission with the same key gets the same reference. */
export interface IdempotencyStore {
  /**
   * Claims `key` for `reference`. If it was claimed before, returns the reference it was claimed
   * for, provided the request is the same one; a different request is a conflict.
   */
  claim(key: string, requestFingerprint: string, reference: string, now: Date): Promise<{ reference: string; replay: boolean }>;
  /** The reference `key` was claimed for, if it was (in the last day). */
  find(key: string): Promise<string | undefined>;
}

/** Milestones go to the topic other agencies and the notifier subscribe to; best effort. */
export interface MilestonePublisher {
  /** false when it could not be published (logged and counted by the caller, never thrown) */
  publish(event: MilestoneEvent): Promise<boolean>;
}

/** What starts a journey: the execution carries no personal data (it shows in the console). */
export interface JourneyInput {
  readonly reference: string;
  readonly journey: Journey;
  readonly service: string;
}

export interface JourneyEngine {
  /** starts the journey of a case, once: a second start for the same reference does nothing */
  start(input: JourneyInput): Promise<void>;
  /** hands a result to the journey waiting on `taskToken`; throws TokenNotUsable when it no longer waits */
  answer(taskToken: string, output: unknown): Promise<void>;
}

export interface SmsSender {
  isOptedOut(phone: string): Promise<boolean>;
  /** sends it; the provider's id for the text, which its delivery receipt names */
  send(phone: string, text: string): Promise<string | undefined>;
}

/** Which case and milestone each text was, by the provider's id for it: how a delivery receipt finds its case. */
export interface SentTexts {
  remember(messageId: string, text: SentText): Promise<void>;
  find(messageId: string): Promise<SentText | undefined>;
}

export interface SentText {
  readonly reference: string;
  /** the milestone event it told */
  readonly event: string;
  /** the milestone's day, which the text is counted on */
  readonly on: string;
}

/** The platform's own metrics, which alarms watch. */
export interface Metrics {
  /** `dimensions` narrow it further, e.g. to one service's journey (never anything about a person) */
  count(metric: MetricName, value?: number, dimensions?: Readonly<Record<string, string>>): void;
}

/**
 * The service's own figures: each day's counts for a service's journey, and what is published
 * from them for citizens' statuses. No personal data: references go only into its memory of what
 * it has counted, which no reader gets back.
 */
export interface PerformanceStore {
  /** adds a tally to its day's figures, once: false when it had been counted already */
  count(service: string, journey: Journey, tally: Tally): Promise<boolean>;
  /**
   * the figures of the days from `from` to `to` (UK dates) that counted anything; `upToTheSecond: false`
   * for a reader that can do without the last second's tallies (the published page: half the cost)
   */
  days(service: string, journey: Journey, from: string, to: string, options?: { readonly upToTheSecond?: boolean }): Promise<DayFigures[]>;
  /**
   * adds up what was counted on `day` for the readers of days older than the last two (a store that
   * keeps the day's figures in one place already has nothing to do); false when there was nothing to
   * add up or a later sum is kept already
   */
  rollUp(service: string, journey: Journey, day: string, at: string): Promise<boolean>;
  /** days older than yesterday that tallies came for since they were last added up (none for a store that keeps each day in one place) */
  daysToRollUpAgain(service: string, journey: Journey): Promise<string[]>;
  summary(service: string, journey: Journey): Promise<JourneySummary | undefined>;
  /** keeps the estimate unless a newer one is kept already; false when it was not kept */
  saveEstimate(service: string, journey: Journey, estimate: Estimate): Promise<boolean>;
  /** where the queues have got to, as read at `at`, unless a later reading is kept already */
  saveQueues(service: string, journey: Journey, queues: QueuePositions, at: string): Promise<boolean>;
}

/** Structured logs: never personal data, only references, stages and error names. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Caseworkers' console sessions, found by the hash of the browser's token. */
export interface SessionStore {
  create(session: Session): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  /** moves the idle deadline on; a session already ended stays ended */
  touch(id: string, idleUntil: string): Promise<void>;
  end(id: string): Promise<void>;
}
