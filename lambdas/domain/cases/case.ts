// The case: one item per application, renewal or appeal, holding the public status, the stage
// history, the audit trail and a version number for optimistic concurrency.
import type { Journey } from '../shared/reference';
import type { Language } from '../shared/language';

export const STAGES = [
  'received',
  'checks-complete',
  'awaiting-decision',
  'information-needed',
  'escalated',
  'approved',
  'refused',
  'on-hold',
  'renewal-due',
  // a granted permit past its end (domain/services/permits.ts)
  'expired',
] as const;
export type Stage = (typeof STAGES)[number];

/** The stages of a case that has been decided: nothing more to decide, no delay to explain. */
export const DECIDED_STAGES: readonly Stage[] = ['approved', 'refused', 'renewal-due', 'expired'];

/** Caseworker queues, read from the queue index oldest first. */
export const QUEUES = ['awaiting-decision', 'senior-review', 'on-hold', 'renewal-due'] as const;
export type Queue = (typeof QUEUES)[number];

/** The queues where a case waits for a caseworker's decision: the ones a citizen is told how far along they are, and texted from when quiet. */
export const DECISION_QUEUES = ['awaiting-decision', 'senior-review'] as const satisfies readonly Queue[];
export type DecisionQueue = (typeof DECISION_QUEUES)[number];

export type Outcome = 'approve' | 'refuse' | 'request-information';
export const OUTCOMES: readonly Outcome[] = ['approve', 'refuse', 'request-information'];

export interface Applicant {
  readonly name: string;
  readonly dateOfBirth: string;
  readonly phone: string;
}

export interface HistoryEntry {
  readonly at: string;
  readonly stage: Stage;
}

export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly reason?: string;
}

export interface NotificationRecord {
  readonly event: string;
  readonly milestone: string;
  readonly channel: 'sms';
  readonly status: 'sending' | 'sent' | 'failed' | 'opted-out';
  readonly segments?: number;
  readonly at: string;
  /** the SMS provider's id for the text, which its delivery receipt names */
  readonly messageId?: string;
  /** what the provider's receipt said: the text reached the phone, or could not */
  readonly delivery?: { readonly status: 'delivered' | 'not-delivered'; readonly at: string };
}

export interface Decision {
  readonly outcome: Outcome;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface Delay {
  readonly reason: string;
  readonly days?: number;
  readonly newDate: string;
  readonly at: string;
}

/** The service-standard clock of a case, as the journey keeps it (journeys/journey-steps.ts). */
export interface StandardClock {
  /** the date the decision is due by: the service standard's, moved on by the days we waited for the citizen */
  readonly dueOn: string;
  /** the standard, in working days (the complex one for a case the checks flagged) */
  readonly workingDays: number;
  /** working days the clock has been stopped while we waited for the citizen */
  readonly pausedWorkingDays: number;
  /** set while a request for information is open: when the clock stopped */
  readonly pausedAt?: string;
  /** the last time the clock stopped and started again: how far it moved the date */
  readonly lastPause?: { readonly workingDays: number; readonly from: string; readonly to: string };
}

/** Wrong dates of birth sent for a case (domain/citizens/identity.ts): never public, never shown to the citizen. */
export interface DateOfBirthTries {
  /** how many since `since` */
  readonly wrong: number;
  readonly since: string;
  /** set when they reached the limit: the case's protected actions are paused until then */
  readonly pausedUntil?: string;
  /** checks under way: each is reserved before its date is compared and settled after; one never settled counts as wrong */
  readonly checking?: readonly { readonly id: string; readonly at: string }[];
}

/** What a decided case counts towards: when it came and went, and how long it took us. */
export interface DecisionFacts {
  /** the day it was received (UK date) */
  readonly receivedOn: string;
  /** the day it was decided (UK date) */
  readonly decidedOn: string;
  /** working days from received to decided, without the days we waited for the citizen */
  readonly workingDays: number;
  /** decided on or before the service standard's date (moved on by the days we waited for the citizen) */
  readonly withinStandard: boolean;
}

/** How cases of different journeys refer to each other. */
export interface CaseLinks {
  /** on a renewal: the case it renews */
  readonly renews?: string;
  /** on an appeal: the case it appeals against */
  readonly appeals?: string;
  readonly renewedBy?: string;
  readonly appealedBy?: string;
}

export interface CaseRecord {
  readonly reference: string;
  readonly journey: Journey;
  readonly service: string;
  readonly language: Language;
  readonly stage: Stage;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expectedBy?: string;
  /** when the citizen was last told something (a change of stage, an explained delay): how long a case has been quiet */
  readonly lastMilestoneAt?: string;
  readonly applicant: Applicant;
  readonly details: Readonly<Record<string, string>>;
  readonly history: readonly HistoryEntry[];
  readonly audit: readonly AuditEntry[];
  readonly notifications: readonly NotificationRecord[];
  readonly checks?: { readonly complex: boolean; readonly flags: readonly string[] };
  readonly awaiting?: 'decision' | 'information';
  readonly taskToken?: string;
  readonly queue?: Queue;
  readonly queuedAt?: string;
  readonly decision?: Decision;
  readonly informationRequest?: { readonly reason: string; readonly by: string; readonly at: string };
  readonly delay?: Delay;
  readonly expiresOn?: string;
  readonly appealBy?: string;
  readonly links?: CaseLinks;
  /** on an appeal: who made the decision appealed against; they may not decide the appeal */
  readonly originalDecisionBy?: string;
  /** on a renewal: when the permit being renewed runs out */
  readonly previousExpiresOn?: string;
  readonly informationResponses?: readonly { readonly at: string; readonly text: string }[];
  /** the service-standard clock: the date the decision is due by, stopped while we wait for the citizen */
  readonly standard?: StandardClock;
  /** once decided: what the case counts towards in the published performance */
  readonly decisionFacts?: DecisionFacts;
  /** when the citizen was last texted that their case is still being worked on (domain/messages/still-working.ts) */
  readonly quietNoticeAt?: string;
  /** wrong dates of birth sent for the case, and a pause they caused (domain/citizens/identity.ts) */
  readonly dateOfBirthTries?: DateOfBirthTries;
}

/** The date the citizen has been given: an explained delay's, else the service standard's (which the case keeps for the queues). */
export const citizensDate = (record: Pick<CaseRecord, 'delay' | 'expectedBy'>): string | undefined => record.delay?.newDate ?? record.expectedBy;

/** The attributes the public status lookup reads: nothing personal is ever fetched for it. */
export const PUBLIC_ATTRIBUTES = [
  'reference',
  'journey',
  'service',
  'language',
  'stage',
  'createdAt',
  'expectedBy',
  // the service-standard clock: dates and working days, for "the date moved because we waited for you"
  'standard',
  'history',
  'updatedAt',
  'delay',
  'decision',
  'informationRequest',
  'expiresOn',
  'appealBy',
  'links',
  // when we texted the citizen, and whether it went: no number, no text (see publicStatus)
  'notifications',
] as const;

export type PublicCaseFields = Pick<CaseRecord, (typeof PUBLIC_ATTRIBUTES)[number]>;
