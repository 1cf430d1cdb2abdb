// POST /cases/{reference}/decision: a caseworker approves, refuses or asks for information.
import { decide } from '../domain/casework/decisions';
import { caseworker, httpHandler, json, jsonBody } from '../http/http';
import { decision as decisionInput } from '../http/inputs';
import { readInput } from '../domain/shared/schema';
import { requireReference } from '../http/reference';
import { callbackDeps } from '../adapters/aws/deps';

const deps = callbackDeps();

export const handler = httpHandler(async (event) => {
  const who = caseworker(event);
  const reference = requireReference(event);
  const { outcome, reason } = readInput(decisionInput, jsonBody(event));
  const decision = await decide(deps, reference, who, { outcome, reason: reason ?? '' });
  return json(200, { reference, decision });
});
