// POST /renewals {renews, dateOfBirth, details?, applicant?: {phone?, language?}}: a citizen
// renews an approved permit. The new case is prefilled from the old one.
import { checkIdempotencyKey } from '../domain/idempotency';
import { submitCase } from '../domain/submissions';
import { renewalOf } from '../domain/follow-ups';
import { requireOwner } from '../domain/identity';
import { ukDate } from '../domain/working-days';
import { header, httpHandler, jsonBody } from '../http/http';
import { accepted } from '../http/submissions';
import { renewal } from '../http/inputs';
import { readInput } from '../domain/schema';
import { submissionDeps } from '../adapters/aws/deps';

const wiring = submissionDeps('renewal');

export const handler = httpHandler(async (event) => {
  const { renews, dateOfBirth, ...changes } = readInput(renewal, jsonBody(event));
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const now = wiring.clock();
  const original = requireOwner(await wiring.store.get(renews), renews, dateOfBirth);
  const { submission, followUp } = renewalOf(original, changes, ukDate(now));
  const { record, replay } = await submitCase(wiring, 'renewal', submission, key, now, followUp);
  return accepted(record, replay);
});
