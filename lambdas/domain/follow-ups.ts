// Renewals and appeals follow an earlier case. Who may make one (the citizen, proved by their
// date of birth), and when: a renewal only for an approved case, an appeal only against a
// refusal and only within the service's appeal window. Each refusal says why.
import type { CaseRecord } from './case';
import { findService } from './catalogue';
import { validateSubmission, type Submission } from './application-form';
import { PublicError } from './errors';
import { readableDate } from './content';
import { parseReference } from './reference';
import type { FollowUp } from './submissions';

export function linkedReference(value: unknown, field: string): string {
  const parsed = parseReference(typeof value === 'string' ? value : '');
  if (!parsed.ok) throw new PublicError('invalid-request', parsed.message, [{ field, message: parsed.message }]);
  return parsed.reference;
}

/** A renewal: the approved case's details, with whatever the citizen changed (a new vehicle, say). */
export function renewalOf(original: CaseRecord, body: Record<string, unknown>, today: string): { submission: Submission; followUp: FollowUp } {
  if (original.journey === 'appeal') throw new PublicError('not-eligible', `${original.reference} is an appeal: renew the permit it was about instead.`);
  if (original.stage !== 'approved' && original.stage !== 'renewal-due') {
    throw new PublicError('not-eligible', `Only an approved permit can be renewed. ${original.reference} is not approved (it is at "${original.stage}").`);
  }
  const changes = body.details && typeof body.details === 'object' && !Array.isArray(body.details) ? (body.details as Record<string, unknown>) : {};
  const contact = body.applicant && typeof body.applicant === 'object' && !Array.isArray(body.applicant) ? (body.applicant as Record<string, unknown>) : {};
  const submission = validateSubmission(
    {
      service: original.service,
      applicant: { ...original.applicant, language: original.language, ...pick(contact, ['phone', 'language']) },
      details: { ...original.details, ...changes },
    },
    today,
  );
  return {
    submission,
    followUp: { original: original.reference, link: 'renewedBy', extra: { links: { renews: original.reference }, previousExpiresOn: original.expiresOn } },
  };
}

/** An appeal against a refusal, made in time, with the citizen's grounds. */
export function appealOf(original: CaseRecord, grounds: unknown, today: string): { submission: Submission; followUp: FollowUp } {
  if (original.journey === 'appeal') throw new PublicError('not-eligible', `${original.reference} is itself an appeal, and an appeal decision is final.`);
  if (original.stage !== 'refused') {
    throw new PublicError('not-eligible', `Only a refusal can be appealed. ${original.reference} was not refused (it is at "${original.stage}").`);
  }
  if (original.appealBy && today > original.appealBy) {
    throw new PublicError('not-eligible', `The time to appeal against ${original.reference} ended on ${readableDate(original.appealBy, 'en')}.`);
  }
  if (typeof grounds !== 'string' || grounds.trim().length < 10 || [...grounds.trim()].length > 2000 || /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(grounds)) {
    throw new PublicError('invalid-request', 'Say why you think the decision was wrong, in 10 to 2000 characters.', [
      { field: 'grounds', message: 'Say why you think the decision was wrong, in 10 to 2000 characters.' },
    ]);
  }
  const service = findService(original.service);
  if (!service) throw new PublicError('not-eligible', `The service ${original.service} no longer takes appeals.`);
  return {
    submission: { service, applicant: { ...original.applicant, language: original.language }, details: { grounds: grounds.normalize('NFC').trim() } },
    followUp: {
      original: original.reference,
      link: 'appealedBy',
      extra: { links: { appeals: original.reference }, originalDecisionBy: original.decision?.by },
    },
  };
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}
