// GET /cases/{reference}: the whole case for a caseworker: personal data, history, audit trail
// and notifications. The journey's task token stays internal.
import { caseStore } from '../adapters/aws/deps';
import { caseNotFound } from '../domain/shared/errors';
import { caseworker, httpHandler, json } from '../http/http';
import { requireReference } from '../http/reference';

const store = caseStore();

export const handler = httpHandler(async (event) => {
  caseworker(event);
  const reference = requireReference(event);
  const record = await store.get(reference);
  if (!record?.journey) throw caseNotFound(reference);
  const { taskToken, ...visible } = record;
  return json(200, { ...visible, decidable: record.awaiting === 'decision' && Boolean(taskToken) });
});
