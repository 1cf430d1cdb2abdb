// What the renew, appeal and answer pages share: the case they act on, read by its reference, and
// whether the action is open on it (the same answer whoever asks); the date of birth that proves
// it is the citizen's (as the API asks for it, counted and paused as the API does); the frame of
// the page; and the API's problems shown against the questions they belong to.
import { randomUUID } from 'node:crypto';
import type { CaseRecord } from '../domain/cases/case';
import { isRetryOf, whyNotOpen, type CitizenAction } from '../domain/citizens/citizen-actions';
import { readableDate, readableTime } from '../domain/services/content';
import { CaseNotFound, PublicError, caseNotFound } from '../domain/shared/errors';
import { isIdempotencyKey } from '../domain/shared/idempotency';
import { pausedUntil, proveOwnership } from '../domain/citizens/identity';
import type { Language } from '../domain/shared/language';
import type { CaseStore, IdempotencyStore } from '../domain/ports';
import type { TransitionDeps } from '../domain/cases/transitions';
import { ukDate } from '../domain/shared/working-days';
import { backLink, button, dateInput } from '../web/components';
import { FormProblems, dateValue, readDateOfBirth, readReference } from '../web/forms';
import { html, type Html } from '../web/html';
import type { PageRequest, PageResult } from '../web/page-http';
import { WORDS, say } from '../web/words';

type Form = Readonly<Record<string, string>>;

/** The form's own idempotency key: made when the form is first shown, sent with it, so sending it twice makes one renewal or appeal. */
export const formKey = (form: Form): string | undefined => (isIdempotencyKey(form.idempotencyKey ?? '') ? form.idempotencyKey : undefined);

/** The case at {reference}, if the citizen may do `action` with it now; otherwise the page that says why not. */
export async function caseFor(store: CaseStore, request: PageRequest, action: CitizenAction, now: Date, idempotency?: Pick<IdempotencyStore, 'find'>): Promise<{ record: CaseRecord; retry: boolean } | { page: PageResult }> {
  const read = readReference(request.params.reference, request.language);
  if (!read.ok) throw caseNotFound(request.params.reference ?? '');
  const record = await store.get(read.value);
  if (!record?.journey) throw caseNotFound(read.value);
  // Sent twice (a double click, the back button): the browser that made the renewal or appeal
  // holds the form's key, and its form goes on as the first did (proving the case is theirs, then
  // finishing whatever the first left undone) to the same confirmation. Nobody else holds the key.
  const retry = request.method === 'POST' && idempotency !== undefined && (await isRetryOf(idempotency, formKey(request.form), record, action));
  if (retry || !whyNotOpen(record, action, ukDate(now))) return { record, retry };
  const words = WORDS[request.language];
  return { page: noticePage(record, request.language, 409, action === 'answer' ? words.answer.notWaiting : action === 'renew' ? words.renew.notEligible : words.appeal.notEligible) };
}

/**
 * Proves the case is the citizen's with the date of birth in the form, as the API does: a date
 * that is not a date is a problem on the question; a wrong one is too (and counted on the case);
 * a case paused by wrong dates is a page of its own, whatever date was sent.
 */
export async function proveOwner(deps: TransitionDeps, record: CaseRecord, form: Form, language: Language, now: Date, problems: FormProblems): Promise<{ proved: boolean } | { page: PageResult }> {
  const words = WORDS[language];
  const until = pausedUntil(record, now);
  if (until) return { page: pausedPage(record, language, until) };
  const born = readDateOfBirth(dateValue(form, 'dateOfBirth'), words.ownership.dateOfBirthInSentence, ukDate(now), language);
  if (!born.ok) {
    problems.addDate('dateOfBirth', born);
    return { proved: false };
  }
  try {
    await proveOwnership(deps, record, born.value, now);
    return { proved: true };
  } catch (error) {
    // paused a moment ago by someone else's tries, or its tries all taken by checks under way
    if (error instanceof PublicError && error.code === 'too-many-tries') {
      return { page: typeof error.extra.pausedUntil === 'string' ? pausedPage(record, language, error.extra.pausedUntil) : busyPage(record, language) };
    }
    if (!(error instanceof CaseNotFound) && !(error instanceof PublicError && error.code === 'not-found')) throw error;
    problems.add('dateOfBirth', words.ownership.noMatch, 'dateOfBirth-day');
    return { proved: false };
  }
}

/** A page that says why the citizen cannot do this with the case now, with the way back to its status and to us. */
function noticePage(record: CaseRecord, language: Language, status: number, title: string, body?: string): PageResult {
  const words = WORDS[language];
  return {
    status,
    page: {
      title,
      path: `/track/${record.reference}`,
      main: html`<h1 class="govuk-heading-l">${title}</h1>${body ? html`<p class="govuk-body">${body}</p>` : html``}<p class="govuk-body"><a class="govuk-link" href="/track/${record.reference}">${words.confirmation.track}</a></p><p class="govuk-body"><a class="govuk-link" href="/contact">${words.footerLinks.contact}</a></p>`,
    },
  };
}

/** While wrong dates of birth keep the case paused: the same whatever date was sent. */
const pausedPage = (record: CaseRecord, language: Language, until: string): PageResult =>
  noticePage(record, language, 429, WORDS[language].ownership.pausedTitle, say(WORDS[language].ownership.pausedBody, { time: readableTime(until), date: readableDate(until, language) }));

/** While other checks of a date of birth hold the case's last tries: nothing was compared. */
const busyPage = (record: CaseRecord, language: Language): PageResult => noticePage(record, language, 429, WORDS[language].ownership.busyTitle, WORDS[language].ownership.busyBody);

/** A new key for a form shown for the first time; the same one when it comes back with a problem. */
export const keyFor = (form: Form): string => formKey(form) ?? randomUUID();

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
export function caseForm(options: { record: CaseRecord; language: Language; action: CitizenAction; title: string; lead?: Html; questions: Html; submit: string; problems?: FormProblems; idempotencyKey?: string }): PageResult {
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
      main: html`<span class="govuk-caption-l">${words.status.reference} <span class="app-nowrap">${record.reference}</span></span><h1 class="govuk-heading-l">${options.title}</h1>${options.lead ?? html``}<form id="${CASE_FORM}" method="post" action="${path}" novalidate>${options.idempotencyKey ? html`<input type="hidden" name="idempotencyKey" value="${options.idempotencyKey}">` : html``}${options.questions}${button(options.submit)}</form>`,
    },
  };
}
