// POST /cases/{reference}/delay {reason, newDate}: a caseworker explains why a case is late.
import { checkDelay, recordDelay } from '../domain/delays';
import { ukDate } from '../domain/working-days';
import { caseworker, httpHandler, json, jsonBody } from '../http/http';
import { requireReference } from '../http/reference';
import { transitionDeps } from '../adapters/aws/deps';

const deps = transitionDeps();

export const handler = httpHandler(async (event) => {
  const who = caseworker(event);
  const reference = requireReference(event);
  const now = deps.clock();
  const request = checkDelay(jsonBody(event), ukDate(now));
  const record = await recordDelay(deps, reference, who.id, request);
  return json(200, { reference, delay: record.delay, expectedBy: record.expectedBy });
});
