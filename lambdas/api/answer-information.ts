// POST /status/{reference}/information {dateOfBirth, information}: the citizen sends what a
// caseworker asked for. The date of birth is a second factor; a wrong one reveals nothing.
import { answerInformation } from '../domain/information';
import { dateOfBirthField, requireOwner } from '../domain/identity';
import { PublicError } from '../domain/errors';
import { httpHandler, json, jsonBody } from '../http/http';
import { requireReference } from '../http/reference';
import { callbackDeps } from '../adapters/aws/deps';

const deps = callbackDeps();

export const handler = httpHandler(async (event) => {
  const reference = requireReference(event);
  const body = jsonBody(event);
  const dateOfBirth = dateOfBirthField(body.dateOfBirth);
  const information = typeof body.information === 'string' ? body.information.normalize('NFC').trim() : '';
  if (!information || [...information].length > 5000 || /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(information)) {
    throw new PublicError('invalid-request', 'Write the information we asked for, in 5000 characters or fewer.', [
      { field: 'information', message: 'Write the information we asked for, in 5000 characters or fewer.' },
    ]);
  }
  requireOwner(await deps.store.get(reference), reference, dateOfBirth);
  await answerInformation(deps, reference, information);
  return json(202, { reference, status: 'information-received', statusUrl: `/status/${reference}` });
});
