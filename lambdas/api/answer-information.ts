// POST /status/{reference}/information {dateOfBirth, information}: the citizen sends what a
// caseworker asked for. The date of birth is a second factor, looked at only while we are waiting
// for information (domain/citizens/citizen-actions.ts, actAsOwner); a wrong one reveals nothing.
import { answerInformation } from '../domain/journeys/information';
import { actAsOwner } from '../domain/citizens/citizen-actions';
import { caseNotFound } from '../domain/shared/errors';
import { httpHandler, json, jsonBody } from '../http/http';
import { information as informationInput } from '../http/inputs';
import { readInput } from '../domain/shared/schema';
import { requireReference } from '../http/reference';
import { answerDeps } from '../adapters/aws/deps';

const deps = answerDeps();

export const handler = httpHandler(async (event) => {
  const reference = requireReference(event);
  const { dateOfBirth, information } = readInput(informationInput, jsonBody(event));
  const owned = await deps.store.get(reference);
  if (!owned?.journey) throw caseNotFound(reference);
  await actAsOwner(deps, owned, 'answer', dateOfBirth, deps.clock());
  await answerInformation(deps, reference, information);
  // The stage as stored: the journey moves the case back to the queue a moment after the answer.
  return json(202, { reference, stage: owned.stage, statusUrl: `/status/${reference}` });
});
