// The apply pages: choose a service (GET /apply), answer its questions (GET and POST
// /apply/{service}, generated from the catalogue), check the answers, then send
// (POST /apply/{service}/submit), which submits the case as POST /applications does and moves to
// the confirmation page. The answers travel in the form, never in an address; the check-answers
// page carries an idempotency key, so sending twice makes one application.
import { randomUUID } from 'node:crypto';
import { findService, offers, serviceCodesOffering, type Service } from '../domain/services/catalogue';
import { validateSubmission } from '../domain/services/application-form';
import { caseNotFound } from '../domain/shared/errors';
import type { Language } from '../domain/shared/language';
import { submitCase } from '../domain/journeys/submissions';
import { ukDate } from '../domain/shared/working-days';
import { readableDate } from '../domain/services/content';
import { submissionDeps } from '../adapters/aws/deps';
import { button, summaryList, type SummaryRow } from '../web/components';
import { FormProblems } from '../web/forms';
import { html, type Html } from '../web/html';
import { pageHandler, type PageResult } from '../web/page-http';
import { WORDS, capitalise, say } from '../web/words';
import { APPLICANT_FIELDS, applicantQuestions, detailQuestion, problemsFrom, readApplicant, readDetails } from './application-fields';
import { isIdempotencyKey } from '../domain/shared/idempotency';

const wiring = submissionDeps('application');

type Form = Readonly<Record<string, string>>;

function choosePage(language: Language): PageResult {
  const words = WORDS[language].apply;
  const services = serviceCodesOffering('application').map((code) => findService(code)!);
  return {
    status: 200,
    page: {
      title: words.chooseTitle,
      path: '/apply',
      main: html`<h1 class="govuk-heading-l">${words.chooseTitle}</h1><p class="govuk-body">${words.chooseLead}</p><ul class="govuk-list">${services.map(
        (service) => html`<li><a class="govuk-link" href="/apply/${service.code}">${service.name[language]}</a></li>`,
      )}</ul>`,
    },
  };
}

function formPage(service: Service, language: Language, form: Form, problems?: FormProblems): PageResult {
  const words = WORDS[language];
  const title = say(words.apply.formTitle, { service: service.name[language].toLowerCase() });
  return {
    status: problems?.any ? 400 : 200,
    page: {
      title,
      path: `/apply/${service.code}`,
      errors: problems?.list,
      form: 'questions',
      // The key is made with the questions and kept through every step, so an application sent
      // twice (a double click, the back button) is one application.
      main: html`<h1 class="govuk-heading-l">${title}</h1><form id="questions" method="post" action="/apply/${service.code}" novalidate>${hidden({ step: 'questions', idempotencyKey: form.idempotencyKey || randomUUID() })}${applicantQuestions(language, form, problems)}<h2 class="govuk-heading-m">${words.apply.details}</h2>${service.details.map((spec) =>
        detailQuestion(spec, language, form, problems),
      )}${button(words.continue)}</form>`,
    },
  };
}

/** The answers, read and normalised; problems are recorded against their questions. */
function readAnswers(service: Service, form: Form, language: Language, today: string) {
  const problems = new FormProblems();
  const applicant = readApplicant(form, language, today, problems);
  const details = readDetails(service, form, language, problems);
  return { problems, applicant, details };
}

const hidden = (fields: Form): Html => html`${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;

function checkAnswersPage(service: Service, language: Language, form: Form, answers: ReturnType<typeof readAnswers>): PageResult {
  const words = WORDS[language];
  const date = readableDate(answers.applicant.dateOfBirth, language) ?? '';
  // "Change" goes back to the question itself (#id), with the answers
  const change = (field: string, label: string) => ({ text: words.apply.change, hidden: label.toLowerCase(), name: 'change', value: field, formaction: `/apply/${service.code}#${field === 'dateOfBirth' ? 'dateOfBirth-day' : field}` });
  const rows: SummaryRow[] = [
    { key: words.apply.name, value: answers.applicant.name, change: change('name', words.apply.name) },
    { key: words.apply.dateOfBirth, value: date, change: change('dateOfBirth', words.apply.dateOfBirth) },
    { key: words.apply.phone, value: form.phone, change: change('phone', words.apply.phone) },
    { key: words.apply.language, value: words.languages[answers.applicant.language ?? language], change: change('language', words.apply.language) },
    ...service.details.map((spec) => {
      const value = answers.details[spec.field];
      const shown = spec.oneOf?.find((choice) => choice.value === value)?.label[language] ?? value ?? '';
      return { key: capitalise(spec.label[language]), value: shown, change: change(spec.field, spec.label[language]) };
    }),
  ];
  // What the form sent, as it was typed (so "Change" shows it again), and the key that makes sending twice safe.
  const kept = Object.fromEntries(
    [...APPLICANT_FIELDS.filter((f) => f !== 'dateOfBirth'), 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', ...service.details.map((spec) => spec.field)].map((name) => [name, form[name] ?? '']),
  ) as Record<string, string>;
  // made with the questions; made here if the answers came from elsewhere
  kept.idempotencyKey = form.idempotencyKey || randomUUID();
  return {
    status: 200,
    page: {
      title: words.apply.checkTitle,
      path: `/apply/${service.code}`,
      form: 'send',
      main: html`<h1 class="govuk-heading-l">${words.apply.checkTitle}</h1><form method="post" action="/apply/${service.code}" novalidate>${hidden(kept)}${summaryList(rows)}</form><form id="send" method="post" action="/apply/${service.code}/submit" novalidate>${hidden(kept)}<p class="govuk-body">${words.apply.declaration}</p>${button(words.apply.submit)}</form>`,
    },
  };
}

export const handler = pageHandler(async (request) => {
  const { language, form } = request;
  if (request.event.resource === '/apply') return choosePage(language);
  const service = findService(request.params.service ?? '');
  if (!service || !offers(service, 'application')) throw caseNotFound(request.params.service ?? '');
  if (request.method === 'GET') return formPage(service, language, {});

  const now = wiring.clock();
  const today = ukDate(now);
  // "Change" on the check-answers page, or the language switched on the questions: the questions again, with the answers given.
  if (form.change !== undefined || (form.switchLanguage && form.step === 'questions')) return formPage(service, language, form);
  const answers = readAnswers(service, form, language, today);
  if (answers.problems.any) return formPage(service, language, form, answers.problems);
  if (request.event.resource === '/apply/{service}') return checkAnswersPage(service, language, form, answers);

  // Sent: the same rules as the API's, then the same submission.
  try {
    const submission = validateSubmission({ service: service.code, applicant: answers.applicant, details: answers.details }, today);
    const key = isIdempotencyKey(form.idempotencyKey ?? '') ? form.idempotencyKey : undefined;
    const { record } = await submitCase(wiring, 'application', submission, key, now);
    return { redirect: `/confirmation/${record.reference}` };
  } catch (error) {
    return formPage(service, language, form, problemsFrom(error));
  }
});
