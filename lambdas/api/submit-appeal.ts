// POST /appeals {appeals, dateOfBirth, grounds}: a citizen appeals against a refusal, within the
// service's appeal window. Whether the case can be appealed is answered before the date of birth
// is looked at (domain/citizens/citizen-actions.ts, actAsOwner).
import { checkIdempotencyKey } from '../domain/shared/idempotency';
import { submitAppeal } from '../domain/journeys/submissions';
import { actAsOwner, isRetryOf } from '../domain/citizens/citizen-actions';
import { caseNotFound } from '../domain/shared/errors';
import { header, httpHandler, jsonBody } from '../http/http';
import { accepted } from '../http/submissions';
import { appeal } from '../http/inputs';
import { readInput } from '../domain/shared/schema';
import { submissionDeps } from '../adapters/aws/deps';

const wiring = submissionDeps('appeal');

export const handler = httpHandler(async (event) => {
  const { appeals, dateOfBirth, grounds } = readInput(appeal, jsonBody(event));
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const now = wiring.clock();
  const original = await wiring.store.get(appeals);
  if (!original?.journey) throw caseNotFound(appeals);
  const retry = await isRetryOf(wiring.idempotency, key, original, 'appeal');
  await actAsOwner(wiring, original, 'appeal', dateOfBirth, now, retry);
  const { record, replay } = await submitAppeal(wiring, original, grounds, key, now, retry);
  return accepted(record, replay);
});
