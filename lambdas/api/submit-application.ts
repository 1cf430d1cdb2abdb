// POST /applications: a citizen applies. Validates at the edge, stores the case, starts the
// application journey and answers 202 with the reference.
import { checkIdempotencyKey } from '../domain/idempotency';
import { validateSubmission } from '../domain/application-form';
import { submitCase } from '../domain/submissions';
import { ukDate } from '../domain/working-days';
import { header, httpHandler, jsonBody } from '../http/http';
import { accepted, submissionWiring } from '../http/submissions';

const { deps } = submissionWiring('application');

export const handler = httpHandler(async (event) => {
  const body = jsonBody(event);
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const now = new Date();
  const submission = validateSubmission(body, ukDate(now));
  const { record, replay } = await submitCase(deps(now), 'application', submission, key);
  return accepted(record, replay);
});
