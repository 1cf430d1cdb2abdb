// POST /applications: a citizen applies. Validates at the edge, stores the case, starts the
// application journey and answers 202 with the reference.
import { checkIdempotencyKey } from '../domain/shared/idempotency';
import { validateSubmission } from '../domain/services/application-form';
import { submitCase } from '../domain/journeys/submissions';
import { ukDate } from '../domain/shared/working-days';
import { header, httpHandler, jsonBody } from '../http/http';
import { accepted } from '../http/submissions';
import { submissionDeps } from '../adapters/aws/deps';

const wiring = submissionDeps('application');

export const handler = httpHandler(async (event) => {
  const body = jsonBody(event);
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const now = wiring.clock();
  const submission = validateSubmission(body, ukDate(now));
  const { record, replay } = await submitCase(wiring, 'application', submission, key, now);
  return accepted(record, replay);
});
