// POST /cases/{reference}/decision: a caseworker approves, refuses or asks for information.
import { OUTCOMES, type Outcome } from '../domain/case';
import { decide } from '../domain/decisions';
import { PublicError } from '../domain/errors';
import { caseworker, httpHandler, json, jsonBody } from '../http/http';
import { requireReference } from '../http/reference';
import { callbackDeps } from '../adapters/aws/deps';

const deps = callbackDeps();

export const handler = httpHandler(async (event) => {
  const who = caseworker(event);
  const reference = requireReference(event);
  const body = jsonBody(event);
  const outcome = body.outcome as Outcome;
  if (!OUTCOMES.includes(outcome)) {
    throw new PublicError('invalid-request', `Choose an outcome: ${OUTCOMES.join(', ')}.`, [{ field: 'outcome', message: `Use one of: ${OUTCOMES.join(', ')}.` }]);
  }
  const reason = typeof body.reason === 'string' ? body.reason.normalize('NFC').trim() : body.reason;
  if (reason !== undefined && typeof reason !== 'string') {
    throw new PublicError('invalid-request', 'The reason must be text.', [{ field: 'reason', message: 'Write the reason as text.' }]);
  }
  if (outcome !== 'approve' && !reason) {
    const what = outcome === 'refuse' ? 'why the application is refused' : 'what information you need';
    throw new PublicError('invalid-request', `Say ${what}: the citizen will read it.`, [{ field: 'reason', message: `Say ${what}, in plain words.` }]);
  }
  if (reason && ([...reason].length > 1000 || /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(reason))) {
    throw new PublicError('invalid-request', 'The reason must be at most 1000 characters, without control characters.', [{ field: 'reason', message: 'Shorten it to 1000 characters or fewer.' }]);
  }
  const decision = await decide(deps, reference, who, { outcome, reason: reason ?? '' });
  return json(200, { reference, decision });
});
