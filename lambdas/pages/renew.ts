// GET and POST /track/{reference}/renew: the citizen renews an approved permit, changing only
// what has changed (the catalogue's questions, all optional, and their phone number), proving the
// case is theirs with their date of birth, as POST /renewals does.
import { renewalOf } from '../domain/follow-ups';
import { findService } from '../domain/catalogue';
import { submitCase } from '../domain/submissions';
import { ukDate } from '../domain/working-days';
import { submissionDeps } from '../adapters/aws/deps';
import { textInput } from '../web/components';
import { FormProblems, readPhone } from '../web/forms';
import { html } from '../web/html';
import { pageHandler } from '../web/page-http';
import { WORDS } from '../web/words';
import { caseForm, caseFor, ownershipQuestion, proveOwner } from './ownership';
import { detailQuestion, problemsFrom, readDetails } from './application-fields';

const wiring = submissionDeps('renewal');

export const handler = pageHandler(async (request) => {
  const { language, form } = request;
  const words = WORDS[language];
  const now = wiring.clock();
  const today = ukDate(now);
  const found = await caseFor(wiring.store, request, 'renew', today);
  if ('page' in found) return found.page;
  const { record } = found;
  const service = findService(record.service)!;
  const page = (problems?: FormProblems) =>
    caseForm({
      record,
      language,
      action: 'renew',
      title: words.renew.title,
      lead: html`<p class="govuk-body">${words.renew.lead}</p>`,
      questions: html`${ownershipQuestion(language, form, problems)}<h2 class="govuk-heading-m">${words.renew.changes}</h2><p class="govuk-body">${words.renew.changesHint}</p>${service.details.map((spec) =>
        detailQuestion(spec, language, form, problems, true),
      )}${textInput({ id: 'phone', label: `${words.renew.phone} ${words.optional}`, hint: words.apply.phoneHint, value: form.phone, error: problems?.byField.phone, errorPrefix: words.errorPrefix, type: 'tel', autocomplete: 'tel', width: '20' })}`,
      submit: words.renew.submit,
      problems,
    });
  if (request.method === 'GET' || form.switchLanguage) return page();

  const problems = new FormProblems();
  const owner = proveOwner(record, form, language, today, problems);
  const details = readDetails(service, form, language, problems, true);
  const phone = problems.take('phone', readPhone(form.phone, false, language));
  if (!owner || problems.any) return page(problems);
  try {
    const { submission, followUp } = renewalOf(record, { details, ...(phone ? { applicant: { phone } } : {}) }, today);
    const { record: renewal } = await submitCase(wiring, 'renewal', submission, undefined, now, followUp);
    return { redirect: `/confirmation/${renewal.reference}` };
  } catch (error) {
    return page(problemsFrom(error));
  }
});
