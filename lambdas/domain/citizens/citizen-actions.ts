// What a citizen can do next with a case, as the status page offers it and the API allows it:
// answer a request for information, renew a permit, appeal a refusal in time. Read from the case's
// public attributes only (anyone with the reference can read them on its status), so whether an
// action is open is answered the same whoever asks, before any date of birth is looked at; and a
// page never offers what the API would refuse.
import type { CaseRecord, PublicCaseFields } from '../cases/case';
import { PublicError, ServiceNotOffered } from '../shared/errors';
import { findService } from '../services/catalogue';
import { whyNotAppealable, whyNotRenewable, withoutFollowUp } from '../journeys/follow-ups';
import { proveOwnership } from './identity';
import type { IdempotencyStore } from '../ports';
import type { TransitionDeps } from '../cases/transitions';
import { ukDate } from '../shared/working-days';
import { readableDate } from '../services/content';

export type CitizenAction = 'answer' | 'renew' | 'appeal';

const CITIZEN_ACTIONS: readonly CitizenAction[] = ['answer', 'renew', 'appeal'];

/** Why the action is not open on the case on `today`, or undefined when it is. */
export function whyNotOpen(record: PublicCaseFields, action: CitizenAction, today: string): PublicError | undefined {
  if (action === 'answer') {
    if (record.stage !== 'information-needed') return new PublicError('conflict', 'We are not waiting for information on this case. Check its status to see where it is.');
    // the day to answer by has gone: the journey is moving the case back to a caseworker
    if (record.expectedBy && today > record.expectedBy) return new PublicError('conflict', `The time to answer ended on ${readableDate(record.expectedBy, 'en')}, so a caseworker is deciding with what we had. Contact us if you need to send something now.`);
    return undefined;
  }
  // a case whose service has left the catalogue can be answered, but neither renewed nor appealed
  if (!findService(record.service)) return new ServiceNotOffered(record.service);
  return action === 'renew' ? whyNotRenewable(record, today) : whyNotAppealable(record, today);
}

export const citizenActions = (record: PublicCaseFields, today: string): CitizenAction[] => CITIZEN_ACTIONS.filter((action) => !whyNotOpen(record, action, today));

/** The renewal or appeal a case's link names, for the action that makes it. */
export const madeBy = (record: PublicCaseFields, action: CitizenAction): string | undefined =>
  action === 'renew' ? record.links?.renewedBy : action === 'appeal' ? record.links?.appealedBy : undefined;

/**
 * Whether this request is one that already made the case's renewal or appeal, sent again: its
 * idempotency key (the citizen's own secret, from the API's header or the page's form) was
 * claimed for the follow-up the case now links to. Nobody else can make it so.
 */
export async function isRetryOf(idempotency: Pick<IdempotencyStore, 'find'>, key: string | undefined, record: PublicCaseFields, action: CitizenAction): Promise<boolean> {
  const made = madeBy(record, action);
  return key !== undefined && made !== undefined && (await idempotency.find(key)) === made;
}

/**
 * The gate of every action a citizen proves a case is theirs for, in this order: the action must
 * be open on the case (public facts: the same answer whoever asks), then the case must not be
 * paused, then the date of birth must be right (identity.ts counts a wrong one). A retry of the
 * request that made the case's renewal or appeal passes the first as the original did.
 */
export async function actAsOwner(deps: TransitionDeps, record: CaseRecord, action: CitizenAction, dateOfBirth: string, now: Date, retry = false): Promise<void> {
  const made = madeBy(record, action);
  const asBefore = retry && made ? withoutFollowUp(record, action === 'renew' ? 'renewedBy' : 'appealedBy') : record;
  const closed = whyNotOpen(asBefore, action, ukDate(now));
  if (closed) throw closed;
  await proveOwnership(deps, record, dateOfBirth, now);
}
