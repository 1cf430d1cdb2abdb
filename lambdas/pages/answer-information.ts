// GET and POST /track/{reference}/answer: the citizen sends the information a caseworker asked
// for, proving the case is theirs with their date of birth, as POST /status/{reference}/information does.
import { answerInformation } from '../domain/journeys/information';
import { answerDeps } from '../adapters/aws/deps';
import { insetText, textarea } from '../web/components';
import { FormProblems, readText } from '../web/forms';
import { html } from '../web/html';
import { pageHandler } from '../web/page-http';
import { WORDS } from '../web/words';
import { caseForm, caseFor, ownershipQuestion, proveOwner } from './ownership';
import { problemsFrom } from './application-fields';

const deps = answerDeps();
const MAX_ANSWER = 5000;

export const handler = pageHandler(async (request) => {
  const { language, form } = request;
  const words = WORDS[language];
  const now = deps.clock();
  const found = await caseFor(deps.store, request, 'answer', now);
  if ('page' in found) return found.page;
  const { record } = found;
  const page = (problems?: FormProblems) =>
    caseForm({
      record,
      language,
      action: 'answer',
      title: words.answer.title,
      lead: record.informationRequest ? insetText(html`<p class="govuk-body">${words.status.informationAsked}</p><p class="govuk-body">${record.informationRequest.reason}</p>`) : undefined,
      questions: html`${ownershipQuestion(language, form, problems)}${textarea({ id: 'information', label: words.answer.information, value: form.information, error: problems?.byField.information, errorPrefix: words.errorPrefix, rows: 8 })}`,
      submit: words.answer.submit,
      problems,
    });
  if (request.method === 'GET' || form.switchLanguage) return page();

  const problems = new FormProblems();
  const owner = await proveOwner(deps, record, form, language, now, problems);
  if ('page' in owner) return owner.page;
  const information = problems.take('information', readText(form.information, { label: words.answer.informationLabel, required: true, max: MAX_ANSWER, multiline: true }, language));
  if (!owner.proved || information === undefined) return page(problems);
  try {
    await answerInformation(deps, record.reference, information);
  } catch (error) {
    return page(problemsFrom(error));
  }
  return { redirect: `/track/${record.reference}?answered=1` };
});
