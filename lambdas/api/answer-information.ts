// POST /status/{reference}/information {dateOfBirth, information}: the citizen sends what a
// caseworker asked for. The date of birth is a second factor; a wrong one reveals nothing.
import { answerInformation } from '../domain/information';
import { requireOwner } from '../domain/identity';
import { httpHandler, json, jsonBody } from '../http/http';
import { information as informationInput } from '../http/inputs';
import { readInput } from '../domain/schema';
import { requireReference } from '../http/reference';
import { callbackDeps } from '../adapters/aws/deps';

const deps = callbackDeps();

export const handler = httpHandler(async (event) => {
  const reference = requireReference(event);
  const { dateOfBirth, information } = readInput(informationInput, jsonBody(event));
  const owned = requireOwner(await deps.store.get(reference), reference, dateOfBirth);
  await answerInformation(deps, reference, information);
  // The stage as stored: the journey moves the case back to the queue a moment after the answer.
  return json(202, { reference, stage: owned.stage, statusUrl: `/status/${reference}` });
});
