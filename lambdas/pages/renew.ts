// GET and POST /track/{reference}/renew: the citizen renews an approved permit, changing only
// what has changed (the catalogue's questions, all optional, and their phone number), proving the
// case is theirs with their date of birth, as POST /renewals does.
import { findService } from '../domain/services/catalogue';
import { submitRenewal } from '../domain/journeys/submissions';
import { submissionDeps } from '../adapters/aws/deps';
import { textInput } from '../web/components';
import { FormProblems, readPhone } from '../web/forms';
import { html } from '../web/html';
import { pageHandler } from '../web/page-http';
import { WORDS } from '../web/words';
import { caseForm, caseFor, formKey, keyFor, ownershipQuestion, proveOwner } from './ownership';
import { detailQuestion, problemsFrom, readDetails } from './application-fields';

const wiring = submissionDeps('renewal');

export const handler = pageHandler(async (request) => {
  const { language, form } = request;
  const words = WORDS[language];
  const now = wiring.clock();
  const found = await caseFor(wiring.store, request, 'renew', now, wiring.idempotency);
  if ('page' in found) return found.page;
  const { record, retry } = found;
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
      idempotencyKey: keyFor(form),
    });
  if (request.method === 'GET' || form.switchLanguage) return page();

  const problems = new FormProblems();
  const owner = await proveOwner(wiring, record, form, language, now, problems);
  if ('page' in owner) return owner.page;
  const details = readDetails(service, form, language, problems, true);
  const phone = problems.take('phone', readPhone(form.phone, false, language));
  if (!owner.proved || problems.any) return page(problems);
  try {
    const { record: renewal } = await submitRenewal(wiring, record, { details, ...(phone ? { applicant: { phone } } : {}) }, formKey(form), now, retry);
    return { redirect: `/confirmation/${renewal.reference}` };
  } catch (error) {
    return page(problemsFrom(error));
  }
});
