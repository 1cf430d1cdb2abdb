// A citizen proves a case is theirs with its reference and their date of birth. A wrong date of
// birth gets exactly the answer an unknown reference gets, so it reveals nothing.
import { timingSafeEqual } from 'node:crypto';
import type { CaseRecord } from './case';
import { caseNotFound } from './errors';

export function requireOwner(record: CaseRecord | undefined, reference: string, dateOfBirth: string): CaseRecord {
  const expected = Buffer.from(record?.applicant?.dateOfBirth ?? '0000-00-00');
  const given = Buffer.from(dateOfBirth.padEnd(expected.length).slice(0, expected.length));
  const same = timingSafeEqual(expected, given) && dateOfBirth.length === expected.length;
  if (!record?.journey || !same) throw caseNotFound(reference);
  return record;
}
