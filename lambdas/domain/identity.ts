// A citizen proves a case is theirs with its reference and their date of birth. A wrong date of
// birth gets exactly the answer an unknown reference gets, so it reveals nothing.
import { timingSafeEqual } from 'node:crypto';
import type { CaseRecord } from './case';
import { PublicError } from './errors';

export function notFound(reference: string): PublicError {
  return new PublicError('not-found', `We cannot find a case with reference ${reference} and that date of birth. Check both against your confirmation message.`);
}

export function requireOwner(record: CaseRecord | undefined, reference: string, dateOfBirth: string): CaseRecord {
  const expected = Buffer.from(record?.applicant?.dateOfBirth ?? '0000-00-00');
  const given = Buffer.from(dateOfBirth.padEnd(expected.length).slice(0, expected.length));
  const same = timingSafeEqual(expected, given) && dateOfBirth.length === expected.length;
  if (!record?.journey || !same) throw notFound(reference);
  return record;
}

export function dateOfBirthField(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new PublicError('invalid-request', 'Enter your date of birth as year-month-day, like 1984-03-27.', [
      { field: 'dateOfBirth', message: 'Enter it as year-month-day, like 1984-03-27.' },
    ]);
  }
  return value;
}
