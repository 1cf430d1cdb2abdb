// A permit's life after approval: it runs until its end date; the citizen is reminded to renew
// before then; after it the permit has expired, and the citizen may still renew it for the
// service's `renewalGraceDays`, then must apply again. The scheduled job moves stored cases along
// (journeys/journey-steps.ts, followPermits); what a citizen reads and may do follows the date itself, so
// it is right even in the hour before the job runs.
import type { CaseRecord, Stage } from '../cases/case';
import type { Service } from './catalogue';
import { addDays } from '../shared/working-days';

/** The stages of a granted permit that is still the citizen's current one. */
const PERMIT_STAGES: readonly Stage[] = ['approved', 'renewal-due', 'expired'];

type PermitFields = Pick<CaseRecord, 'stage' | 'expiresOn'>;

/** Whether the permit ran out before `today` (a UK date): it was valid to the end of its last day. */
export const hasExpired = (record: PermitFields, today: string): boolean => PERMIT_STAGES.includes(record.stage) && record.expiresOn !== undefined && today > record.expiresOn;

/** The case as of `today`: a permit past its end reads as expired, whether or not the job has moved it yet. */
export const asOf = <T extends PermitFields>(record: T, today: string): T => (record.stage !== 'expired' && hasExpired(record, today) ? { ...record, stage: 'expired' } : record);

/** The last day a permit can be renewed: its end, plus the service's grace days. */
export const renewableUntil = (record: Pick<CaseRecord, 'expiresOn'>, service: Pick<Service, 'renewalGraceDays'>): string | undefined =>
  record.expiresOn === undefined ? undefined : addDays(record.expiresOn, service.renewalGraceDays);

/** Whether a granted permit can still be renewed on `today`: from its approval until the grace days after its end have passed. */
export function renewalOpen(record: PermitFields, service: Pick<Service, 'renewalGraceDays'>, today: string): boolean {
  const until = renewableUntil(record, service);
  return PERMIT_STAGES.includes(record.stage) && (until === undefined || today <= until);
}

/**
 * When the job expires a permit: the start of the day after its last (UTC midnight, which in
 * British Summer Time is an hour into that day). A reminded permit waits in the renewal-due queue
 * keyed by this moment, so the job reads only what is due.
 */
export const expiryMoment = (expiresOn: string): string => `${addDays(expiresOn, 1)}T00:00:00.000Z`;

/** The day a reminded permit runs out, from its place in the renewal-due queue (expiryMoment's inverse). */
export const expiresOnFromQueue = (queuedAt: string): string => addDays(queuedAt.slice(0, 10), -1);
