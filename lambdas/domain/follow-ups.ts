// Renewals and appeals follow an earlier case. Who may make one (the citizen, proved by their
// date of birth), and when: only if the case's service offers the journey, a renewal only for an
// approved case, an appeal only against a refusal and only within the service's appeal window.
// Each refusal says why.
import type { CaseRecord } from './case';
import { offers, requireService } from './catalogue';
import { validateSubmission, type Submission } from './application-form';
import { PublicError } from './errors';
import { readableDate } from './content';
import type { Language } from './language';
import type { FollowUp } from './submissions';

/** What a citizen may change when renewing: the details (a new vehicle, say) and how to reach them. */
export interface RenewalChanges {
  readonly details?: Readonly<Record<string, unknown>>;
  readonly applicant?: { readonly phone?: string; readonly language?: Language };
}

/** A renewal: the approved case's details, with whatever the citizen changed. */
export function renewalOf(original: CaseRecord, changes: RenewalChanges, today: string): { submission: Submission; followUp: FollowUp } {
  if (original.journey === 'appeal') throw new PublicError('not-eligible', `${original.reference} is an appeal: renew the permit it was about instead.`);
  const service = requireService(original.service);
  if (!offers(service, 'renewal')) {
    throw new PublicError('not-eligible', `The ${service.name.en} service does not offer renewals. Apply for a new one instead.`);
  }
  if (original.stage !== 'approved' && original.stage !== 'renewal-due') {
    throw new PublicError('not-eligible', `Only an approved permit can be renewed. ${original.reference} is not approved (it is at "${original.stage}").`);
  }
  // The merged application is checked as a new one would be: a detail the service does not ask
  // for is refused by name, and a detail the catalogue has added since must be given.
  const submission = validateSubmission(
    {
      service: original.service,
      applicant: { ...original.applicant, language: original.language, ...changes.applicant },
      details: { ...original.details, ...changes.details },
    },
    today,
    'renewal',
  );
  return {
    submission,
    followUp: { original: original.reference, link: 'renewedBy', extra: { links: { renews: original.reference }, previousExpiresOn: original.expiresOn } },
  };
}

/** An appeal against a refusal, made in time, with the citizen's grounds (already checked as free text). */
export function appealOf(original: CaseRecord, grounds: string, today: string): { submission: Submission; followUp: FollowUp } {
  if (original.journey === 'appeal') throw new PublicError('not-eligible', `${original.reference} is itself an appeal, and an appeal decision is final.`);
  const service = requireService(original.service);
  if (!offers(service, 'appeal')) {
    throw new PublicError('not-eligible', `The ${service.name.en} service does not take appeals. If you think the decision was wrong, contact ${service.team.en}.`);
  }
  if (original.stage !== 'refused') {
    throw new PublicError('not-eligible', `Only a refusal can be appealed. ${original.reference} was not refused (it is at "${original.stage}").`);
  }
  if (original.appealBy && today > original.appealBy) {
    throw new PublicError('not-eligible', `The time to appeal against ${original.reference} ended on ${readableDate(original.appealBy, 'en')}.`);
  }
  return {
    submission: { service, applicant: { ...original.applicant, language: original.language }, details: { grounds } },
    followUp: {
      original: original.reference,
      link: 'appealedBy',
      extra: { links: { appeals: original.reference }, originalDecisionBy: original.decision?.by },
    },
  };
}
