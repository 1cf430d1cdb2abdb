// Reading a form as a person filled it in, with the GOV.UK error patterns: one message per field,
// in the page's language, saying what to do. Forgiving where the API is strict: a reference in any
// case with spaces, a UK mobile number without +44, a date in three boxes. The domain's schemas
// still check everything the pages send on; these only make the first answer kind.
import { parseReference } from '../domain/shared/reference';
import { NOT_MULTILINE_TEXT, NOT_TEXT } from '../domain/shared/schema';
import { E164 } from '../domain/services/application-form';
import type { Language } from '../domain/shared/language';
import type { DateValue, FormError } from './components';
import { WORDS, say } from './words';

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const problem = (message: string): Read<never> => ({ ok: false, message });

/** Collects each field's problem, in the order of the form, for the error summary. */
export class FormProblems {
  readonly list: FormError[] = [];
  // by field name, with no prototype: a field (of a service's catalogue entry, say) called
  // `constructor` or `toString` has a problem only when one was added for it
  readonly byField: Record<string, string> = Object.create(null);
  /** for a date: the boxes at fault (none named: the whole date) */
  readonly dateParts: Record<string, readonly (keyof DateValue)[]> = Object.create(null);

  /** The value when it was read, or undefined with the problem recorded against `field`. */
  take<T>(field: string, read: Read<T>): T | undefined {
    if (read.ok) return read.value;
    this.add(field, read.message);
    return undefined;
  }

  /** `anchor` is the id the error summary links to, when not the field's own (a date's first box). */
  add(field: string, message: string, anchor = field): void {
    if (this.byField[field]) return;
    this.byField[field] = message;
    this.list.push({ field: anchor, message });
  }

  /** A date's problem, linked to the first of its boxes at fault. */
  addDate(field: string, read: Extract<DateRead, { ok: false }>): void {
    if (!this.byField[field]) this.dateParts[field] = read.parts;
    this.add(field, read.message, `${field}-${read.parts[0] ?? 'day'}`);
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}

export function readReference(value: string | undefined, language: Language): Read<string> {
  const parsed = parseReference(value ?? '');
  return parsed.ok ? ok(parsed.reference) : problem(WORDS[language].reference[parsed.problem]);
}


export interface TextRules {
  /** how the field is named inside a sentence: "your full name", "postcode" */
  readonly label: string;
  readonly required: boolean;
  readonly max: number;
  readonly min?: number;
  readonly pattern?: string;
  /** what the right format looks like, for the format error */
  readonly hint?: string;
  readonly multiline?: boolean;
}

/** Trimmed text; undefined when an optional field was left empty. */
export function readText(value: string | undefined, rules: TextRules, language: Language): Read<string | undefined> {
  const errors = WORDS[language].errors;
  // one line: runs of spaces count as one ("CF10  1AA")
  const text = rules.multiline ? (value ?? '').replace(/\r\n/g, '\n').trim() : (value ?? '').replace(/[ \t]+/g, ' ').trim();
  if (text === '') return rules.required ? problem(say(errors.required, { label: rules.label })) : ok(undefined);
  if ((rules.multiline ? NOT_MULTILINE_TEXT : NOT_TEXT).test(text)) return problem(say(errors.notText, { label: rules.label }));
  const length = [...text].length;
  if (length > rules.max) return problem(say(errors.tooLong, { label: rules.label, max: rules.max }));
  if (rules.min && length < rules.min) return problem(say(errors.tooShort, { label: rules.label, min: rules.min }));
  if (rules.pattern && !new RegExp(rules.pattern).test(text)) return problem(say(errors.format, { label: rules.label, hint: rules.hint ?? '' }));
  return ok(text);
}

export function readChoice<V extends string>(value: string | undefined, choices: readonly V[], label: string, language: Language): Read<V> {
  return choices.includes(value as V) ? ok(value as V) : problem(say(WORDS[language].errors.choose, { label }));
}

/** A mobile number as people write it: 07700 900123 becomes +447700900123. */
export function readPhone(value: string | undefined, required: boolean, language: Language): Read<string | undefined> {
  // "+44 (0)7700…": the 0 in brackets is not dialled from abroad
  const compact = (value ?? '').replace(/\(0\)/g, '').replace(/[\s\-().]/g, '');
  if (compact === '') return required ? problem(WORDS[language].errors.phone) : ok(undefined);
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : /^0\d{10}$/.test(compact) ? `+44${compact.slice(1)}` : compact;
  // a UK number must be a mobile (07…) to get texts; other countries' numbers are taken as given
  const textable = international.startsWith('+44') ? /^\+447\d{9}$/.test(international) : E164.test(international);
  return textable ? ok(international) : problem(WORDS[language].errors.phone);
}

export const dateValue = (form: Readonly<Record<string, string>>, id: string): DateValue => ({
  day: form[`${id}-day`]?.trim() ?? '',
  month: form[`${id}-month`]?.trim() ?? '',
  year: form[`${id}-year`]?.trim() ?? '',
});

export type DateRead = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string; readonly parts: readonly (keyof DateValue)[] };

/** A real date from three boxes, as an ISO date; the problem names the boxes at fault. */
export function readDate(date: DateValue, label: string, language: Language): DateRead {
  const words = WORDS[language];
  const parts = (['day', 'month', 'year'] as const).filter((part) => !date[part]);
  if (parts.length === 3) return { ok: false, message: say(words.errors.dateMissing, { label }), parts: [] };
  if (parts.length > 0) {
    const names = parts.map((part) => words.dateParts[part].toLowerCase());
    return { ok: false, message: say(words.errors.dateMissingPart, { label, part: names.join(language === 'cy' ? ' a ' : ' and ') }), parts };
  }
  const [day, month, year] = [Number(date.day), Number(date.month), Number(date.year)];
  const real = /^\d{1,2}$/.test(date.day!) && /^\d{1,2}$/.test(date.month!) && /^\d{4}$/.test(date.year!) && month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!real) return { ok: false, message: say(words.errors.dateNotReal, { label }), parts: [] };
  return { ok: true, value: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/** A date of birth from three boxes, as an ISO date; the problem names the boxes at fault. */
export function readDateOfBirth(date: DateValue, label: string, today: string, language: Language): DateRead {
  const words = WORDS[language];
  const read = readDate(date, label, language);
  if (!read.ok) return read;
  const iso = read.value;
  const year = Number(iso.slice(0, 4));
  if (iso >= today) return { ok: false, message: say(words.errors.dateNotPast, { label }), parts: [] };
  if (Number(today.slice(0, 4)) - year > 130) return { ok: false, message: say(words.errors.dateTooOld, { label }), parts: ['year'] };
  return { ok: true, value: iso };
}
