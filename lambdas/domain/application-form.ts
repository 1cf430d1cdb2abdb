// Validation of what a citizen submits, at the edge: every problem is reported against the
// field it belongs to, in words that say how to put it right.
import { findService, serviceCodes, type Service } from './catalogue';
import { PublicError, type FieldProblem } from './errors';
import { isLanguage, LANGUAGES, type Language } from './language';
import type { Applicant } from './case';

export interface Submission {
  readonly service: Service;
  readonly applicant: Applicant & { readonly language: Language };
  readonly details: Record<string, string>;
}

// C0 and C1 control characters, the Unicode line and paragraph separators, and the explicit
// bidirectional overrides and isolates, which can make text display as something else.
// (Right-to-left scripts need none of them.)
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const E164 = /^\+[1-9]\d{7,14}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function validateSubmission(body: Record<string, unknown>, today: string): Submission {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  let service: Service | undefined;
  if (typeof body.service !== 'string' || body.service.trim() === '') {
    problem('service', `Say which service you are applying for, for example "${serviceCodes()[0]}".`);
  } else {
    service = findService(body.service.trim());
    if (!service) problem('service', `There is no service called "${clip(body.service)}". Choose one of: ${serviceCodes().join(', ')}.`);
  }

  const applicant = isObject(body.applicant) ? body.applicant : undefined;
  if (!applicant) problem('applicant', 'Tell us about the applicant: name, dateOfBirth, phone and language.');
  let name = text(applicant?.name, 'applicant.name', 'your full name', 100, problem);
  if (name !== undefined && !/\p{L}/u.test(name)) {
    problem('applicant.name', 'Enter your full name using letters.');
    name = undefined;
  }
  const dateOfBirth = birthDate(applicant?.dateOfBirth, today, problem);
  const phone = phoneNumber(applicant?.phone, problem);
  let language: Language = 'en';
  if (applicant?.language !== undefined) {
    if (isLanguage(applicant.language)) language = applicant.language;
    else problem('applicant.language', `Choose a language we can write to you in: ${LANGUAGES.join(' (English) or ')} (Welsh).`);
  }

  const details: Record<string, string> = {};
  if (!isObject(body.details)) {
    problem('details', 'Give the details of what you are applying for.');
  } else if (service) {
    const known = new Set(service.details.map((d) => d.field));
    for (const key of Object.keys(body.details)) {
      if (!known.has(key)) problem(`details.${clip(key, 40)}`, `This service does not ask for "${clip(key, 40)}". Remove it.`);
    }
    for (const spec of service.details) {
      const raw = body.details[spec.field];
      const field = `details.${spec.field}`;
      if (raw === undefined || raw === null || raw === '') {
        if (spec.required) problem(field, `Enter the ${spec.label}${spec.hint ? ` (${spec.hint})` : ''}.`);
        continue;
      }
      const value = text(raw, field, `the ${spec.label}`, spec.maxLength ?? 200, problem);
      if (value === undefined) continue;
      if (spec.oneOf && !spec.oneOf.includes(value)) problem(field, `The ${spec.label} must be one of: ${spec.oneOf.join(', ')}.`);
      else if (spec.pattern && !new RegExp(spec.pattern).test(value)) problem(field, `The ${spec.label} is not in the right format${spec.hint ? `: ${spec.hint}` : ''}.`);
      else details[spec.field] = value;
    }
  }

  if (problems.length > 0 || !service || name === undefined || dateOfBirth === undefined || phone === undefined) {
    throw new PublicError('invalid-request', `Some of the details need correcting: ${problems.map((p) => p.field).join(', ')}.`, problems);
  }
  return { service, applicant: { name, dateOfBirth, phone, language }, details };
}

type Report = (field: string, message: string) => void;

function text(value: unknown, field: string, what: string, max: number, problem: Report): string | undefined {
  if (typeof value !== 'string') {
    problem(field, value === undefined ? `Enter ${what}.` : `Enter ${what} as text.`);
    return undefined;
  }
  const trimmed = value.normalize('NFC').trim();
  if (trimmed === '') problem(field, `Enter ${what}.`);
  else if (CONTROL.test(trimmed)) problem(field, `Enter ${what} without line breaks or control characters.`);
  else if ([...trimmed].length > max) problem(field, `Enter ${what} in ${max} characters or fewer.`);
  else return trimmed;
  return undefined;
}

function birthDate(value: unknown, today: string, problem: Report): string | undefined {
  const field = 'applicant.dateOfBirth';
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    problem(field, 'Enter the date of birth as year-month-day, like 1984-03-27.');
    return undefined;
  }
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    problem(field, 'Enter a real date of birth, like 1984-03-27.');
    return undefined;
  }
  if (value >= today) {
    problem(field, 'The date of birth must be in the past.');
    return undefined;
  }
  if (Number(today.slice(0, 4)) - Number(value.slice(0, 4)) > 130) {
    problem(field, 'Check the year of birth: it is more than 130 years ago.');
    return undefined;
  }
  return value;
}

function phoneNumber(value: unknown, problem: Report): string | undefined {
  const field = 'applicant.phone';
  if (typeof value !== 'string' || value.trim() === '') {
    problem(field, 'Enter a mobile phone number so we can text you updates, like +447700900123.');
    return undefined;
  }
  const compact = value.replace(/[\s\-().]/g, '');
  if (!E164.test(compact)) {
    problem(field, 'Enter the phone number in international format, starting with + and the country code, like +447700900123.');
    return undefined;
  }
  return compact;
}

function clip(value: string, max = 60): string {
  const clean = value.replace(/[^\p{L}\p{N} ._-]/gu, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
