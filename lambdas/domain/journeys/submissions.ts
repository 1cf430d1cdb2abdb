// Accepting a case: store it first (so the citizen's reference works at once), then start its
// journey (named after the reference, so a retry cannot start a second one), then announce the
// "received" milestone. A retry with the same Idempotency-Key finishes whatever a failed
// attempt left undone and returns the same reference. A renewal or an appeal also marks the
// case it follows, once: a second renewal or appeal of the same case is refused.
import { fingerprint } from '../shared/idempotency';
import type { CaseLinks, CaseRecord } from '../cases/case';
import type { Submission } from '../services/application-form';
import { appealOf, renewalOf, type FollowUp, type RenewalChanges } from './follow-ups';
import { milestoneEvent } from '../cases/milestones';
import { ukDate } from '../shared/working-days';
import { newReference, type Journey } from '../shared/reference';
import { CaseAlreadyExists, PublicError, alreadyFollowed } from '../shared/errors';
import { planDecision } from '../services/service-standards';
import { announce, announceReceived, moveToStage, receivedCase, type TransitionDeps } from '../cases/transitions';
import type { IdempotencyStore, JourneyEngine } from '../ports';

export interface SubmissionDeps extends TransitionDeps {
  readonly idempotency: IdempotencyStore;
  readonly journeys: Pick<JourneyEngine, 'start'>;
  readonly newReference?: (journey: Journey) => string;
}


export async function submitCase(
  deps: SubmissionDeps,
  journey: Journey,
  submission: Submission,
  idempotencyKey: string | undefined,
  /** when the citizen sent it: the handler's one reading of the clock */
  now: Date,
  followUp?: FollowUp,
): Promise<{ record: CaseRecord; replay: boolean }> {
  let reference = (deps.newReference ?? newReference)(journey);
  let replay = false;
  if (idempotencyKey) {
    const request = fingerprint({ journey, service: submission.service.code, applicant: submission.applicant, details: submission.details });
    ({ reference, replay } = await deps.idempotency.claim(idempotencyKey, request, reference, now));
  }
  if (followUp) {
    const original = await linkOriginal(deps, followUp, reference);
    // told as soon as the original is linked, before anything that could fail after it (a retry tells it again: sent once)
    if (followUp.tellOriginal) await announce(deps, milestoneEvent(original, followUp.tellOriginal, reference, now.toISOString()));
  }
  let record = replay ? await deps.store.get(reference) : undefined;
  if (!record) {
    const { language, ...applicant } = submission.applicant;
    record = receivedCase(
      {
        reference,
        journey,
        service: submission.service.code,
        language,
        expectedBy: planDecision(submission.service, journey, false, now).expectedBy,
        applicant,
        details: submission.details,
        ...followUp?.extra,
      },
      now,
    );
    try {
      await deps.store.create(record);
    } catch (error) {
      if (!(error instanceof CaseAlreadyExists)) throw error;
      record = (await deps.store.get(reference))!; // the same key raced us; the case is there
    }
  }
  try {
    await deps.journeys.start({ reference, journey, service: record.service });
  } catch (error) {
    deps.log.error('journey not started', { reference, error: (error as Error)?.name });
    await holdUnstarted(deps, reference);
    throw new PublicError(
      'service-unavailable',
      idempotencyKey
        ? `We have saved your application with reference ${reference}, but could not start processing it. Send it again with the same Idempotency-Key in a few minutes.`
        : `We have saved your application with reference ${reference}, but could not start processing it. We will start it for you: check its status with your reference.`,
      [],
      { reference },
    );
  }
  // Announced on a retry too, even when the case has moved on: the notifier sends each milestone event once.
  await announceReceived(deps, record);
  return { record, replay };
}

/**
 * Renews a permit the citizen has proved is theirs (citizens/citizen-actions.ts, actAsOwner). A renewal
 * that changes the phone number also tells the number the permit had: a text to the old number
 * is what stops someone who guessed their way in from moving a permit's texts quietly.
 */
export async function submitRenewal(deps: SubmissionDeps, original: CaseRecord, changes: RenewalChanges, key: string | undefined, now: Date, retry = false): Promise<{ record: CaseRecord; replay: boolean }> {
  const { submission, followUp } = renewalOf(original, changes, ukDate(now), retry);
  const newNumber = changes.applicant?.phone !== undefined && changes.applicant.phone !== original.applicant.phone;
  return submitCase(deps, 'renewal', submission, key, now, newNumber ? { ...followUp, tellOriginal: 'contact-changed' } : followUp);
}

/** Appeals a refusal the citizen has proved is theirs (citizens/citizen-actions.ts, actAsOwner). */
export async function submitAppeal(deps: SubmissionDeps, original: CaseRecord, grounds: string, key: string | undefined, now: Date, retry = false): Promise<{ record: CaseRecord; replay: boolean }> {
  const { submission, followUp } = appealOf(original, grounds, ukDate(now), retry);
  return submitCase(deps, 'appeal', submission, key, now, followUp);
}

async function linkOriginal(deps: SubmissionDeps, followUp: FollowUp, reference: string): Promise<CaseRecord> {
  const { record } = await deps.store.update(followUp.original, (original) => {
    const existing = original.links?.[followUp.link];
    if (existing === reference) return undefined; // a retry of this same submission
    if (existing) throw alreadyFollowed(followUp.original, followUp.link, existing);
    const links: CaseLinks = { ...original.links, [followUp.link]: reference };
    // a renewed permit needs no reminder any more
    const remove = followUp.link === 'renewedBy' && original.queue === 'renewal-due' ? (['queue', 'queuedAt'] as const) : [];
    return { set: { links }, remove };
  });
  return record;
}

/**
 * A case saved whose journey could not be started must not sit unseen in "received": it goes on
 * hold, into the on-hold queue the team watches. Its journey, when started (a retry with the
 * same key, or by the team), moves it on.
 */
async function holdUnstarted(deps: SubmissionDeps, reference: string): Promise<void> {
  await moveToStage(
    deps,
    reference,
    'on-hold',
    (_current, at) => ({ set: { queue: 'on-hold', queuedAt: at }, append: { audit: [{ at, actor: 'platform', action: 'put-on-hold', reason: 'The journey could not be started.' }] } }),
    (current) => current.stage !== 'received',
  ).catch(() => undefined); // the 503 below is what matters to the citizen
}
