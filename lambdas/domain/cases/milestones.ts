// Milestones are published to the SNS topic with attributes (journey, service, milestone) so
// the notifier and other agencies can subscribe with filter policies. The message carries the
// reference and what happened, never personal data. Publishing is best effort (transitions.ts):
// a failure is logged and counted but never fails or blocks the journey.
import type { CaseRecord, Stage } from './case';

export const MILESTONES = [
  'received',
  'checks-complete',
  'awaiting-decision',
  'information-needed',
  'delayed',
  'approved',
  'refused',
  'on-hold',
  'renewal-due',
  'expired',
  // not a change of stage: a case quiet for too long is still being worked on (domain/messages/still-working.ts)
  'still-working',
  // not a change of stage: wrong dates of birth paused the case's protected actions (domain/citizens/identity.ts)
  'actions-paused',
  // not a change of stage: a renewal changed the phone number; told to the number the case had (domain/journeys/submissions.ts)
  'contact-changed',
] as const;
export type Milestone = (typeof MILESTONES)[number];

const FOR_STAGE: Record<Stage, Milestone> = {
  received: 'received',
  'checks-complete': 'checks-complete',
  'awaiting-decision': 'awaiting-decision',
  'information-needed': 'information-needed',
  escalated: 'delayed',
  approved: 'approved',
  refused: 'refused',
  'on-hold': 'on-hold',
  'renewal-due': 'renewal-due',
  expired: 'expired',
};

export interface MilestoneEvent {
  /** unique per case and milestone occurrence: the notifier sends at most once per event */
  readonly event: string;
  readonly reference: string;
  readonly journey: string;
  readonly service: string;
  readonly milestone: Milestone;
  readonly at: string;
}

/** The milestone for the stage a case has just entered, identified by its place in the history. */
export function milestoneFor(record: CaseRecord): MilestoneEvent {
  let index = record.history.length - 1;
  while (index > 0 && record.history[index].stage !== record.stage) index--;
  return milestoneEvent(record, FOR_STAGE[record.stage], `${index}`, record.history[index]?.at ?? record.updatedAt);
}

/** A milestone that is not a change of stage (a delay a caseworker explains), by its occurrence. */
export function milestoneEvent(record: CaseRecord, milestone: Milestone, occurrence: string, at: string): MilestoneEvent {
  return { event: `${record.reference}/${milestone}/${occurrence}`, reference: record.reference, journey: record.journey, service: record.service, milestone, at };
}

/** The attributes a milestone is published with, for subscribers' filter policies. */
export const milestoneAttributes = (event: MilestoneEvent): Record<'journey' | 'service' | 'milestone', string> => ({
  journey: event.journey,
  service: event.service,
  milestone: event.milestone,
});
