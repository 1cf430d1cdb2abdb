// GET /status/{reference}: what a citizen sees, from the case's public attributes only, and for a
// case not decided yet what its service publishes about cases like it.
import { readJourneySummary, readPublicCase } from '../adapters/aws/public-case';
import { statusWithDates } from '../domain/citizens/honest-dates';
import { chooseLanguage } from '../domain/shared/language';
import { caseNotFound } from '../domain/shared/errors';
import { header, httpHandler, json } from '../http/http';
import { requireReference } from '../http/reference';

export const handler = httpHandler(async (event) => {
  const reference = requireReference(event);
  const record = await readPublicCase(reference);
  if (!record) throw caseNotFound(reference);
  const summary = await readJourneySummary(record);
  const language = chooseLanguage(event.queryStringParameters?.lang, header(event, 'accept-language'), record.language);
  return json(200, statusWithDates(record, language, { summary, now: new Date() }), { 'content-language': language, vary: 'Accept-Language' });
});
