// POST /renewals {renews, dateOfBirth, details?, applicant?: {phone?, language?}}: a citizen
// renews a permit. The new case is prefilled from the old one. Whether the permit can be renewed
// is answered before the date of birth is looked at (domain/citizens/citizen-actions.ts, actAsOwner).
import { checkIdempotencyKey } from '../domain/shared/idempotency';
import { submitRenewal } from '../domain/journeys/submissions';
import { actAsOwner, isRetryOf } from '../domain/citizens/citizen-actions';
import { caseNotFound } from '../domain/shared/errors';
import { header, httpHandler, jsonBody } from '../http/http';
import { accepted } from '../http/submissions';
import { renewal } from '../http/inputs';
import { readInput } from '../domain/shared/schema';
import { submissionDeps } from '../adapters/aws/deps';

const wiring = submissionDeps('renewal');

export const handler = httpHandler(async (event) => {
  const { renews, dateOfBirth, ...changes } = readInput(renewal, jsonBody(event));
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const now = wiring.clock();
  const original = await wiring.store.get(renews);
  if (!original?.journey) throw caseNotFound(renews);
  const retry = await isRetryOf(wiring.idempotency, key, original, 'renew');
  await actAsOwner(wiring, original, 'renew', dateOfBirth, now, retry);
  const { record, replay } = await submitRenewal(wiring, original, changes, key, now, retry);
  return accepted(record, replay);
});
