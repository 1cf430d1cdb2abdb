// The questions of an application, generated from the service catalogue's `details` (labels,
// hints, patterns and choices in both languages): a service added to the catalogue gets its form
// with no code. Shared by the apply and renew pages, with the questions about the applicant.
import type { DetailField, Service } from '../domain/services/catalogue';
import { PublicError } from '../domain/shared/errors';
import { LANGUAGES, type Language } from '../domain/shared/language';
import { dateInput, radios, textInput } from '../web/components';
import { FormProblems, dateValue, readChoice, readDateOfBirth, readPhone, readText } from '../web/forms';
import { html, type Html } from '../web/html';
import { WORDS, capitalise } from '../web/words';

type Form = Readonly<Record<string, string>>;

/** The ids of the applicant's questions; the details use their catalogue field names. */
export const APPLICANT_FIELDS = ['name', 'dateOfBirth', 'phone', 'language'] as const;

/** A detail's question: radios for a choice, a text box otherwise. Optional on a renewal (blank keeps it). */
export function detailQuestion(spec: DetailField, language: Language, form: Form, problems: FormProblems | undefined, optional = false): Html {
  const words = WORDS[language];
  const label = `${capitalise(spec.label[language])}${optional || !spec.required ? ` ${words.optional}` : ''}`;
  const hint = spec.hint ? capitalise(spec.hint[language]) : undefined;
  const common = { id: spec.field, label, hint, error: problems?.byField[spec.field], errorPrefix: words.errorPrefix };
  if (spec.oneOf) {
    const choices = spec.oneOf.map((choice) => ({ value: choice.value, text: choice.label[language] }));
    // on a renewal a choice can be left as it was, and put back after a click
    if (optional) choices.unshift({ value: '', text: words.apply.noChange });
    return radios({ ...common, choices, value: form[spec.field] ?? (optional ? '' : undefined) });
  }
  return textInput({ ...common, value: form[spec.field], width: spec.maxLength && spec.maxLength <= 10 ? '10' : undefined, spellcheck: false, autocomplete: spec.autocomplete });
}

export function readDetail(spec: DetailField, form: Form, language: Language, optional = false): ReturnType<typeof readText> {
  const label = spec.label[language];
  if (spec.oneOf) {
    if (optional && !form[spec.field]) return { ok: true, value: undefined };
    return readChoice(form[spec.field], spec.oneOf.map((choice) => choice.value), label, language);
  }
  return readText(form[spec.field], { label, required: spec.required && !optional, max: spec.maxLength ?? 200, pattern: spec.pattern, hint: spec.hint?.[language] }, language);
}

/** Every detail the service asks for, read from the form; blank ones left out when optional. */
export function readDetails(service: Service, form: Form, language: Language, problems: FormProblems, optional = false): Record<string, string> {
  const details: Record<string, string> = {};
  for (const spec of service.details) {
    const value = problems.take(spec.field, readDetail(spec, form, language, optional));
    if (value !== undefined) details[spec.field] = value;
  }
  return details;
}

export interface ApplicantAnswers {
  readonly name: string;
  readonly dateOfBirth: string;
  readonly phone: string;
  readonly language: Language;
}

export function readApplicant(form: Form, language: Language, today: string, problems: FormProblems): Partial<ApplicantAnswers> {
  const words = WORDS[language];
  const name = problems.take('name', readText(form.name, { label: words.apply.nameInSentence, required: true, max: 100 }, language));
  if (name !== undefined && !/\p{L}/u.test(name)) problems.add('name', words.errors.name);
  const born = readDateOfBirth(dateValue(form, 'dateOfBirth'), words.apply.dateOfBirthInSentence, today, language);
  if (!born.ok) problems.addDate('dateOfBirth', born);
  const phone = problems.take('phone', readPhone(form.phone, true, language));
  const chosen = problems.take('language', readChoice(form.language, LANGUAGES, words.apply.languageInSentence, language));
  return { name, dateOfBirth: born.ok ? born.value : undefined, phone, language: chosen };
}

/** The questions about the applicant. */
export function applicantQuestions(language: Language, form: Form, problems: FormProblems | undefined): Html {
  const words = WORDS[language];
  const error = (field: string) => problems?.byField[field];
  return html`<h2 class="govuk-heading-m">${words.apply.aboutYou}</h2>${textInput({ id: 'name', label: words.apply.name, value: form.name, error: error('name'), errorPrefix: words.errorPrefix, autocomplete: 'name', spellcheck: false })}${dateInput({
    id: 'dateOfBirth',
    label: words.apply.dateOfBirth,
    hint: words.apply.dateOfBirthHint,
    value: dateValue(form, 'dateOfBirth'),
    error: error('dateOfBirth'),
    partsInError: problems?.dateParts.dateOfBirth,
    errorPrefix: words.errorPrefix,
    parts: words.dateParts,
    bornOn: true,
  })}${textInput({ id: 'phone', label: words.apply.phone, hint: words.apply.phoneHint, value: form.phone, error: error('phone'), errorPrefix: words.errorPrefix, type: 'tel', autocomplete: 'tel', width: '20' })}${radios({
    id: 'language',
    label: words.apply.language,
    choices: LANGUAGES.map((value) => ({ value, text: words.languages[value] })),
    value: form.language ?? language,
    error: error('language'),
    errorPrefix: words.errorPrefix,
    inline: true,
  })}`;
}

/** The fields of an API problem (e.g. "details.postcode") as the ids of the form's questions. */
const formFieldOf = (apiField: string): string => apiField.replace(/^(applicant|details)\./, '');

/** The API's problems with what was sent, against the questions they belong to; anything else is thrown on. */
export function problemsFrom(error: unknown): FormProblems {
  if (!(error instanceof PublicError) || error.fields.length === 0) throw error;
  const problems = new FormProblems();
  for (const field of error.fields) problems.add(formFieldOf(field.field), field.message);
  return problems;
}
