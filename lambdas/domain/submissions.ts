// Accepting a case: store it first (so the citizen's reference works at once), then start its
// journey (named after the reference, so a retry cannot start a second one), then announce the
// "received" milestone. A retry with the same Idempotency-Key finishes whatever a failed
// attempt left undone and returns the same reference.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CaseStore } from './case-store';
import type { IdempotencyStore } from './idempotency';
import { fingerprint } from './idempotency';
import type { CaseRecord } from './case';
import type { Submission } from './application-form';
import { newReference, type Journey } from './reference';
import { PublicError } from './errors';

export interface JourneyInput {
  readonly reference: string;
  readonly journey: Journey;
  readonly service: string;
}

export interface SubmissionDeps {
  readonly store: CaseStore;
  readonly idempotency: IdempotencyStore;
  readonly startJourney: (input: JourneyInput) => Promise<void>;
  readonly announce: (record: CaseRecord) => Promise<unknown>;
  readonly newReference?: (journey: Journey) => string;
  readonly now: Date;
}

export async function submitCase(
  deps: SubmissionDeps,
  journey: Journey,
  submission: Submission,
  idempotencyKey: string | undefined,
): Promise<{ record: CaseRecord; replay: boolean }> {
  let reference = (deps.newReference ?? newReference)(journey);
  let replay = false;
  if (idempotencyKey) {
    const request = fingerprint({ journey, service: submission.service.code, applicant: submission.applicant, details: submission.details });
    ({ reference, replay } = await deps.idempotency.claim(idempotencyKey, request, reference, deps.now));
  }
  let record = replay ? await deps.store.get(reference) : undefined;
  if (!record) {
    const at = deps.now.toISOString();
    const { language, ...applicant } = submission.applicant;
    record = {
      reference,
      journey,
      service: submission.service.code,
      language,
      stage: 'received',
      version: 1,
      createdAt: at,
      updatedAt: at,
      applicant,
      details: submission.details,
      history: [{ at, stage: 'received' }],
      audit: [{ at, actor: 'citizen', action: 'submitted' }],
      notifications: [],
    };
    try {
      await deps.store.create(record);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      record = (await deps.store.get(reference))!; // the same key raced us; the case is there
    }
  }
  try {
    await deps.startJourney({ reference, journey, service: record.service });
  } catch (error) {
    console.error(JSON.stringify({ level: 'ERROR', message: 'journey not started', reference, error: (error as Error)?.name }));
    throw new PublicError(
      'service-unavailable',
      `We have saved your application with reference ${reference}, but could not start processing it. Send it again with the same Idempotency-Key in a few minutes.`,
      [],
      { reference },
    );
  }
  if (!replay) await deps.announce(record);
  return { record, replay };
}
