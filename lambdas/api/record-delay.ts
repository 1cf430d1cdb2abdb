// POST /cases/{reference}/delay {reason, newDate}: a caseworker explains why a case is late.
import { recordDelay } from '../domain/casework/delays';
import { ukDate } from '../domain/shared/working-days';
import { caseworker, httpHandler, json, jsonBody } from '../http/http';
import { delay } from '../http/inputs';
import { readInput } from '../domain/shared/schema';
import { requireReference } from '../http/reference';
import { transitionDeps } from '../adapters/aws/deps';

const deps = transitionDeps();

export const handler = httpHandler(async (event) => {
  const who = caseworker(event);
  const reference = requireReference(event);
  const now = deps.clock();
  const request = readInput(delay, jsonBody(event), { today: ukDate(now) });
  const record = await recordDelay(deps, reference, who, request, now);
  // the date the citizen is now told (the service standard's date stays on the case)
  return json(200, { reference, delay: record.delay, expectedBy: record.delay?.newDate });
});
