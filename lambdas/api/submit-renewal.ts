// POST /renewals {renews, dateOfBirth, details?, applicant?: {phone?, language?}}: a citizen
// renews an approved permit. The new case is prefilled from the old one.
import { checkIdempotencyKey } from '../domain/idempotency';
import { submitCase } from '../domain/submissions';
import { linkedReference, renewalOf } from '../domain/follow-ups';
import { dateOfBirthField, requireOwner } from '../domain/identity';
import { ukDate } from '../domain/working-days';
import { header, httpHandler, jsonBody } from '../http/http';
import { accepted, submissionWiring } from '../http/submissions';

const { store, deps } = submissionWiring('renewal');

export const handler = httpHandler(async (event) => {
  const body = jsonBody(event);
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const renews = linkedReference(body.renews, 'renews');
  const dateOfBirth = dateOfBirthField(body.dateOfBirth);
  const now = new Date();
  const original = requireOwner(await store.get(renews), renews, dateOfBirth);
  const { submission, followUp } = renewalOf(original, body, ukDate(now));
  const { record, replay } = await submitCase(deps(now), 'renewal', submission, key, followUp);
  return accepted(record, replay);
});
