// What a citizen can do next with a case, as the status page offers it: answer a request for
// information, renew an approved permit, appeal a refusal in time. The same rules as the API's
// (lambdas/domain/follow-ups.ts and information.ts), read from the case's public attributes only,
// so a page never offers what the API would refuse.
import type { PublicCaseFields } from './case';
import { findService, offers } from './catalogue';

export type CitizenAction = 'answer' | 'renew' | 'appeal';

export function citizenActions(record: PublicCaseFields, today: string): CitizenAction[] {
  const service = findService(record.service);
  const actions: CitizenAction[] = [];
  if (record.stage === 'information-needed') actions.push('answer');
  if (!service || record.journey === 'appeal') return actions;
  if ((record.stage === 'approved' || record.stage === 'renewal-due') && offers(service, 'renewal') && !record.links?.renewedBy) actions.push('renew');
  if (record.stage === 'refused' && offers(service, 'appeal') && !record.links?.appealedBy && (!record.appealBy || today <= record.appealBy)) actions.push('appeal');
  return actions;
}
