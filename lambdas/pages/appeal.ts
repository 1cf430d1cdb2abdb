// GET and POST /track/{reference}/appeal: the citizen appeals against a refusal, in time, with
// their grounds, proving the case is theirs with their date of birth, as POST /appeals does.
import { submitAppeal } from '../domain/journeys/submissions';
import { submissionDeps } from '../adapters/aws/deps';
import { textarea } from '../web/components';
import { FormProblems, readText } from '../web/forms';
import { html } from '../web/html';
import { pageHandler } from '../web/page-http';
import { WORDS } from '../web/words';
import { caseForm, caseFor, formKey, keyFor, ownershipQuestion, proveOwner } from './ownership';
import { problemsFrom } from './application-fields';

const wiring = submissionDeps('appeal');

export const handler = pageHandler(async (request) => {
  const { language, form } = request;
  const words = WORDS[language];
  const now = wiring.clock();
  const found = await caseFor(wiring.store, request, 'appeal', now, wiring.idempotency);
  if ('page' in found) return found.page;
  const { record, retry } = found;
  const page = (problems?: FormProblems) =>
    caseForm({
      record,
      language,
      action: 'appeal',
      title: words.appeal.title,
      lead: html`<p class="govuk-body">${words.appeal.lead}</p>`,
      questions: html`${ownershipQuestion(language, form, problems)}${textarea({ id: 'grounds', label: words.appeal.grounds, hint: words.appeal.groundsHint, value: form.grounds, error: problems?.byField.grounds, errorPrefix: words.errorPrefix, rows: 8 })}`,
      submit: words.appeal.submit,
      problems,
      idempotencyKey: keyFor(form),
    });
  if (request.method === 'GET' || form.switchLanguage) return page();

  const problems = new FormProblems();
  const owner = await proveOwner(wiring, record, form, language, now, problems);
  if ('page' in owner) return owner.page;
  const grounds = problems.take('grounds', readText(form.grounds, { label: words.appeal.groundsLabel, required: true, min: 10, max: 2000, multiline: true }, language));
  if (!owner.proved || grounds === undefined) return page(problems);
  try {
    const { record: appeal } = await submitAppeal(wiring, record, grounds, formKey(form), now, retry);
    return { redirect: `/confirmation/${appeal.reference}` };
  } catch (error) {
    return page(problemsFrom(error));
  }
});
