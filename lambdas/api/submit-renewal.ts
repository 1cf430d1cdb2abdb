// POST /renewals {renews, dateOfBirth, details?, applicant?: {phone?, language?}}: a citizen
// renews an approved permit. The new case is prefilled from the old one.
import { checkIdempotencyKey } from '../domain/idempotency';
import { submitCase } from '../domain/submissions';
import { linkedReference, renewalOf } from '../domain/follow-ups';
import { dateOfBirthField, requireOwner } from '../domain/identity';
import { ukDate } from '../domain/working-days';
import { header, httpHandler, jsonBody } from '../http/http';
import { accepted } from '../http/submissions';
import { submissionDeps } from '../adapters/aws/deps';

const wiring = submissionDeps('renewal');

export const handler = httpHandler(async (event) => {
  const body = jsonBody(event);
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const renews = linkedReference(body.renews, 'renews');
  const dateOfBirth = dateOfBirthField(body.dateOfBirth);
  const now = wiring.clock();
  const original = requireOwner(await wiring.store.get(renews), renews, dateOfBirth);
  const { submission, followUp } = renewalOf(original, body, ukDate(now));
  const { record, replay } = await submitCase(wiring, 'renewal', submission, key, followUp);
  return accepted(record, replay);
});
