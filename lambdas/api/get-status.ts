// GET /status/{reference}: what a citizen sees, from the case's public attributes only.
import { readPublicCase } from '../adapters/aws/public-case';
import { publicStatus } from '../domain/content';
import { chooseLanguage } from '../domain/language';
import { caseNotFound } from '../domain/errors';
import { header, httpHandler, json } from '../http/http';
import { requireReference } from '../http/reference';

export const handler = httpHandler(async (event) => {
  const reference = requireReference(event);
  const record = await readPublicCase(reference);
  if (!record) throw caseNotFound(reference);
  const language = chooseLanguage(event.queryStringParameters?.lang, header(event, 'accept-language'), record.language);
  return json(200, publicStatus(record, language), { 'content-language': language, vary: 'Accept-Language' });
});
