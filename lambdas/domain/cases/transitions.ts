// The one way a case moves between stages: a conditional write that sets the stage and appends
// its history entry (with whatever else the move records), then the milestone on the topic.
// Nothing else can set a stage: the store takes a stage only as a StageMove, made only here.
import type { CaseRecord, Stage } from './case';
import type { CaseChange } from './case-change';
import { METRIC } from '../shared/metrics';
import { milestoneEvent, milestoneFor, type MilestoneEvent } from './milestones';
import { StageMove } from './stage-move';
import type { CaseStore, Clock, Log, MilestonePublisher, Metrics } from '../ports';

export interface TransitionDeps {
  readonly store: CaseStore;
  readonly milestones: MilestonePublisher;
  readonly metrics: Metrics;
  readonly log: Log;
  readonly clock: Clock;
}

/**
 * Moves a case to `stage` with one conditional write (the stage, its history entry and whatever
 * else `change` says), then publishes the milestone. `alreadyDone` recognises a retried step
 * whose write had landed, so a retry neither writes twice nor skips the milestone.
 */
export async function moveToStage(
  deps: TransitionDeps,
  reference: string,
  stage: Stage,
  change: (current: CaseRecord, at: string) => CaseChange = () => ({}),
  alreadyDone: (current: CaseRecord) => boolean = (current) => current.stage === stage,
  /** the case as the caller has just read it: the write starts from it (a read saved) */
  from?: CaseRecord,
): Promise<{ record: CaseRecord; changed: boolean }> {
  const at = deps.clock().toISOString();
  const result = await deps.store.update(reference, (current) => (alreadyDone(current) ? undefined : { ...change(current, at), move: new StageMove(stage, at) }), { from });
  // Counted once per case put on hold, whichever way it got there, for the alarm.
  if (result.changed && stage === 'on-hold') deps.metrics.count(METRIC.casesOnHold);
  await announce(deps, milestoneFor(result.record));
  return result;
}

export type NewCase = Omit<CaseRecord, 'stage' | 'version' | 'createdAt' | 'updatedAt' | 'history' | 'audit' | 'notifications'>;

/** A case as it is received: the first stage, its history entry and the audit of who sent it. */
export function receivedCase(fields: NewCase, now: Date, actor = 'citizen'): CaseRecord {
  const at = now.toISOString();
  return { ...fields, stage: 'received', version: 1, createdAt: at, updatedAt: at, lastMilestoneAt: at, history: [{ at, stage: 'received' }], audit: [{ at, actor, action: 'submitted' }], notifications: [] };
}

/** The "received" milestone of a case just stored; announced again on a retry, sent once. */
export const announceReceived = (deps: Pick<TransitionDeps, 'milestones' | 'metrics' | 'log'>, record: CaseRecord): Promise<boolean> =>
  announce(deps, milestoneEvent(record, 'received', '0', record.createdAt));

/** Publishes a milestone; one that could not be published is counted (and alarmed), never thrown. */
export async function announce(deps: Pick<TransitionDeps, 'milestones' | 'metrics' | 'log'>, event: MilestoneEvent): Promise<boolean> {
  const published = await deps.milestones.publish(event);
  // The adapter has logged why; this counts it, for the alarm.
  if (!published) deps.metrics.count(METRIC.milestonesNotPublished);
  return published;
}
