// POST /appeals {appeals, dateOfBirth, grounds}: a citizen appeals against a refusal, within the
// service's appeal window.
import { checkIdempotencyKey } from '../domain/idempotency';
import { submitCase } from '../domain/submissions';
import { appealOf } from '../domain/follow-ups';
import { requireOwner } from '../domain/identity';
import { ukDate } from '../domain/working-days';
import { header, httpHandler, jsonBody } from '../http/http';
import { accepted } from '../http/submissions';
import { appeal } from '../http/inputs';
import { readInput } from '../domain/schema';
import { submissionDeps } from '../adapters/aws/deps';

const wiring = submissionDeps('appeal');

export const handler = httpHandler(async (event) => {
  const { appeals, dateOfBirth, grounds } = readInput(appeal, jsonBody(event));
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const now = wiring.clock();
  const original = requireOwner(await wiring.store.get(appeals), appeals, dateOfBirth);
  const { submission, followUp } = appealOf(original, grounds, ukDate(now));
  const { record, replay } = await submitCase(wiring, 'appeal', submission, key, now, followUp);
  return accepted(record, replay);
});
