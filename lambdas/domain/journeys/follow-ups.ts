// Renewals and appeals follow an earlier case. Who may make one (the citizen, proved by their
// date of birth), and when: only if the case's service offers the journey, a renewal only for a
// granted permit until the grace days after its end (domain/services/permits.ts), an appeal only against a refusal and only within the service's appeal window.
// Each refusal says why.
import type { CaseRecord, PublicCaseFields } from '../cases/case';
import { offers, requireService } from '../services/catalogue';
import { validateSubmission, type Submission } from '../services/application-form';
import { PublicError, alreadyFollowed } from '../shared/errors';
import { readableDate } from '../services/content';
import type { Language } from '../shared/language';
import type { Milestone } from '../cases/milestones';
import { hasExpired, renewableUntil, renewalOpen } from '../services/permits';

/** The case a renewal or appeal follows: how submissions.ts links the two. */
export interface FollowUp {
  /** the case this one follows, and the link to put on it */
  readonly original: string;
  readonly link: 'renewedBy' | 'appealedBy';
  /** what this case records about the original */
  readonly extra: Partial<Pick<CaseRecord, 'links' | 'originalDecisionBy' | 'previousExpiresOn'>>;
  /** a milestone to announce on the original once it is linked: the number it had told of a new one */
  readonly tellOriginal?: Milestone;
}

/** What a citizen may change when renewing: the details (a new vehicle, say) and how to reach them. */
export interface RenewalChanges {
  readonly details?: Readonly<Record<string, unknown>>;
  readonly applicant?: { readonly phone?: string; readonly language?: Language };
}

/**
 * Why a case cannot be renewed on `today`, or undefined when it can: from its public attributes
 * only (anyone with the reference can read them on the status), so the answer is the same
 * whoever asks, before anyone's date of birth is looked at.
 */
export function whyNotRenewable(original: PublicCaseFields, today: string): PublicError | undefined {
  if (original.journey === 'appeal') return new PublicError('not-eligible', `${original.reference} is an appeal: renew the permit it was about instead.`);
  const service = requireService(original.service);
  if (!offers(service, 'renewal')) return new PublicError('not-eligible', `The ${service.name.en} service does not offer renewals. Apply for a new one instead.`);
  if (!renewalOpen(original, service, today)) {
    const until = renewableUntil(original, service);
    return new PublicError(
      'not-eligible',
      hasExpired(original, today) && until
        ? `The time to renew ${original.reference} ended on ${readableDate(until, 'en')}. Apply for a new permit instead.`
        : `Only an approved permit can be renewed. ${original.reference} is not approved (it is at "${original.stage}").`,
    );
  }
  if (original.links?.renewedBy) return alreadyFollowed(original.reference, 'renewedBy', original.links.renewedBy);
  return undefined;
}

/** Why a case cannot be appealed on `today`, or undefined when it can: from its public attributes only, as whyNotRenewable. */
export function whyNotAppealable(original: PublicCaseFields, today: string): PublicError | undefined {
  if (original.journey === 'appeal') return new PublicError('not-eligible', `${original.reference} is itself an appeal, and an appeal decision is final.`);
  const service = requireService(original.service);
  if (!offers(service, 'appeal')) return new PublicError('not-eligible', `The ${service.name.en} service does not take appeals. If you think the decision was wrong, contact ${service.team.en}.`);
  if (original.stage !== 'refused') return new PublicError('not-eligible', `Only a refusal can be appealed. ${original.reference} was not refused (it is at "${original.stage}").`);
  if (original.appealBy && today > original.appealBy) return new PublicError('not-eligible', `The time to appeal against ${original.reference} ended on ${readableDate(original.appealBy, 'en')}.`);
  if (original.links?.appealedBy) return alreadyFollowed(original.reference, 'appealedBy', original.links.appealedBy);
  return undefined;
}

/** A renewal: the approved case's details, with whatever the citizen changed. */
export function renewalOf(original: CaseRecord, changes: RenewalChanges, today: string, replay = false): { submission: Submission; followUp: FollowUp } {
  const why = whyNotRenewable(replay ? withoutFollowUp(original, 'renewedBy') : original, today);
  if (why) throw why;
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
export function appealOf(original: CaseRecord, grounds: string, today: string, replay = false): { submission: Submission; followUp: FollowUp } {
  const why = whyNotAppealable(replay ? withoutFollowUp(original, 'appealedBy') : original, today);
  if (why) throw why;
  const service = requireService(original.service);
  return {
    submission: { service, applicant: { ...original.applicant, language: original.language }, details: { grounds } },
    followUp: {
      original: original.reference,
      link: 'appealedBy',
      extra: { links: { appeals: original.reference }, originalDecisionBy: original.decision?.by },
    },
  };
}

/** The case as it was before a renewal or appeal that is being sent again (a retry with its own key) was made. */
export function withoutFollowUp<T extends PublicCaseFields>(record: T, link: FollowUp['link']): T {
  const { [link]: _made, ...links } = record.links ?? {};
  return { ...record, links };
}
