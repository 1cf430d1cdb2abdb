// The one way a journey step moves a case to a new stage: a conditional write (status, history
// entry and whatever else the step records), then the milestone on the topic.
import { SNSClient } from '@aws-sdk/client-sns';
import { requireEnv } from '../domain/config';
import type { CaseChange } from '../domain/case-store';
import { milestoneFor, publishMilestone } from '../domain/milestones';
import type { CaseRecord, Stage } from '../domain/case';
import { logger, store } from './runtime';

const sns = new SNSClient({});
const topicArn = requireEnv('MILESTONE_TOPIC_ARN');

/**
 * Moves a case to `stage` with one conditional write (status, history entry and whatever else
 * `change` says), then publishes the milestone. `alreadyDone` recognises a retried step whose
 * write had landed, so a retry neither writes twice nor skips the milestone.
 */
export async function moveToStage(
  reference: string,
  stage: Stage,
  change: (current: CaseRecord, at: string) => CaseChange,
  alreadyDone: (current: CaseRecord) => boolean = (current) => current.stage === stage,
): Promise<CaseRecord> {
  const { record, changed } = await store.update(reference, (current) => {
    if (alreadyDone(current)) return undefined;
    const at = new Date().toISOString();
    const extra = change(current, at);
    return {
      ...extra,
      set: { ...extra.set, stage },
      append: { ...extra.append, history: [{ at, stage }] },
    };
  });
  logger.info('stage', { reference, stage, changed });
  await publishMilestone(sns, topicArn, milestoneFor(record));
  return record;
}

/**
 * A callback wait entered again after the local platform restarted (or after a retry whose
 * first token was lost): the case is already waiting at `stage`, so only the task token changes
 * (no new history entry, no second milestone). Returns whether that was the case.
 */
export async function renewWait(reference: string, stage: Stage, awaiting: 'decision' | 'information', taskToken: string): Promise<boolean> {
  const { changed } = await store.update(reference, (current) =>
    current.stage === stage && current.awaiting === awaiting && current.taskToken && current.taskToken !== taskToken ? { set: { taskToken } } : undefined,
  );
  if (changed) logger.info('wait renewed', { reference, stage });
  return changed;
}
