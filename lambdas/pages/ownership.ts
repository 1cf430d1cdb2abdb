// What the renew, appeal and answer pages share: the case they act on, read by its reference; the
// date of birth that proves it is the citizen's (as the API asks for it); the frame of the page;
// and the API's problems shown against the questions they belong to.
import type { CaseRecord } from '../domain/case';
import type { CitizenAction } from '../domain/citizen-actions';
import { citizenActions } from '../domain/citizen-actions';
import { CaseNotFound, PublicError, caseNotFound } from '../domain/errors';
import { requireOwner } from '../domain/identity';
import type { Language } from '../domain/language';
import type { CaseStore } from '../domain/ports';
import { backLink, button, dateInput } from '../web/components';
import { FormProblems, dateValue, readDateOfBirth, readReference } from '../web/forms';
import { html, type Html } from '../web/html';
import type { PageRequest, PageResult } from '../web/page-http';
import { WORDS } from '../web/words';

type Form = Readonly<Record<string, string>>;

/** The case at {reference}, if the citizen may do `action` with it now; otherwise the page that says why not. */
export async function caseFor(store: CaseStore, request: PageRequest, action: CitizenAction, today: string): Promise<{ record: CaseRecord } | { page: PageResult }> {
  const read = readReference(request.params.reference, request.language);
  if (!read.ok) throw caseNotFound(request.params.reference ?? '');
  const record = await store.get(read.value);
  if (!record?.journey) throw caseNotFound(read.value);
  if (citizenActions(record, today).includes(action)) return { record };
  // Sent twice (a double click, the back button): the citizen who made the renewal or appeal sees it again.
  const made = action === 'renew' ? record.links?.renewedBy : action === 'appeal' ? record.links?.appealedBy : undefined;
  if (made && request.method === 'POST' && proveOwner(record, request.form, request.language, today, new FormProblems())) {
    return { page: { redirect: `/confirmation/${made}` } };
  }
  const words = WORDS[request.language];
  const why = action === 'answer' ? words.answer.notWaiting : action === 'renew' ? words.renew.notEligible : words.appeal.notEligible;
  return {
    page: {
      status: 409,
      page: {
        title: why,
        path: `/track/${record.reference}`,
        main: html`<h1 class="govuk-heading-l">${why}</h1><p class="govuk-body"><a class="govuk-link" href="/track/${record.reference}">${words.confirmation.track}</a></p><p class="govuk-body"><a class="govuk-link" href="/contact">${words.footerLinks.contact}</a></p>`,
      },
    },
  };
}

/** Checks the date of birth given against the case; a mismatch is a problem on that question. */
export function proveOwner(record: CaseRecord, form: Form, language: Language, today: string, problems: FormProblems): boolean {
  const words = WORDS[language];
  const born = readDateOfBirth(dateValue(form, 'dateOfBirth'), words.ownership.dateOfBirthInSentence, today, language);
  if (!born.ok) {
    problems.addDate('dateOfBirth', born);
    return false;
  }
  try {
    requireOwner(record, record.reference, born.value);
    return true;
  } catch (error) {
    if (!(error instanceof PublicError) && !(error instanceof CaseNotFound)) throw error;
    problems.add('dateOfBirth', words.ownership.noMatch, 'dateOfBirth-day');
    return false;
  }
}

export function ownershipQuestion(language: Language, form: Form, problems?: FormProblems): Html {
  const words = WORDS[language];
  return dateInput({
    id: 'dateOfBirth',
    label: words.ownership.dateOfBirth,
    hint: words.ownership.dateOfBirthHint,
    // shown again only when it is what was wrong: a date that matched is the applicant's own
    value: problems?.byField.dateOfBirth || form.switchLanguage ? dateValue(form, 'dateOfBirth') : undefined,
    error: problems?.byField.dateOfBirth,
    partsInError: problems?.dateParts.dateOfBirth,
    errorPrefix: words.errorPrefix,
    parts: words.dateParts,
    bornOn: true,
  });
}

const CASE_FORM = 'case-form';

/** A page with one form about a case: back to its status, its reference, the questions, the button. */
export function caseForm(options: { record: CaseRecord; language: Language; action: CitizenAction; title: string; lead?: Html; questions: Html; submit: string; problems?: FormProblems }): PageResult {
  const { record, language } = options;
  const words = WORDS[language];
  const path = `/track/${record.reference}/${options.action}`;
  return {
    status: options.problems?.any ? 400 : 200,
    page: {
      title: options.title,
      path,
      errors: options.problems?.list,
      before: backLink(`/track/${record.reference}`, words.back),
      form: CASE_FORM,
      main: html`<span class="govuk-caption-l">${words.status.reference} <span class="app-nowrap">${record.reference}</span></span><h1 class="govuk-heading-l">${options.title}</h1>${options.lead ?? html``}<form id="${CASE_FORM}" method="post" action="${path}" novalidate>${options.questions}${button(options.submit)}</form>`,
    },
  };
}
