// GET and POST /track/{reference}/appeal: the citizen appeals against a refusal, in time, with
// their grounds, proving the case is theirs with their date of birth, as POST /appeals does.
import { appealOf } from '../domain/follow-ups';
import { submitCase } from '../domain/submissions';
import { ukDate } from '../domain/working-days';
import { submissionDeps } from '../adapters/aws/deps';
import { textarea } from '../web/components';
import { FormProblems, readText } from '../web/forms';
import { html } from '../web/html';
import { pageHandler } from '../web/page-http';
import { WORDS } from '../web/words';
import { caseForm, caseFor, ownershipQuestion, proveOwner } from './ownership';
import { problemsFrom } from './application-fields';

const wiring = submissionDeps('appeal');

export const handler = pageHandler(async (request) => {
  const { language, form } = request;
  const words = WORDS[language];
  const now = wiring.clock();
  const today = ukDate(now);
  const found = await caseFor(wiring.store, request, 'appeal', today);
  if ('page' in found) return found.page;
  const { record } = found;
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
    });
  if (request.method === 'GET' || form.switchLanguage) return page();

  const problems = new FormProblems();
  const owner = proveOwner(record, form, language, today, problems);
  const grounds = problems.take('grounds', readText(form.grounds, { label: words.appeal.groundsLabel, required: true, min: 10, max: 2000, multiline: true }, language));
  if (!owner || grounds === undefined) return page(problems);
  try {
    const { submission, followUp } = appealOf(record, grounds, today);
    const { record: appeal } = await submitCase(wiring, 'appeal', submission, undefined, now, followUp);
    return { redirect: `/confirmation/${appeal.reference}` };
  } catch (error) {
    return page(problemsFrom(error));
  }
});
