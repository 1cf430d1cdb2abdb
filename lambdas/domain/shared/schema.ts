// Reading what a request sends: a few small combinators, each giving both the check and the
// TypeScript type (`Infer`). Our own code rather than a library: every API handler loads this
// on its cold start, and it needs nothing compiled at runtime.
import { PublicError, type FieldProblem } from './errors';

/** What some checks compare against: the UK date of the request, read once by the caller. */
export interface ReadContext {
  readonly today?: string;
  /** inside an object: the fields read so far, for `dependsOn` */
  readonly siblings?: Readonly<Record<string, unknown>>;
}

/** Marks a value that failed its check; the problem has been reported already. */
export const INVALID: unique symbol = Symbol('invalid');
type Invalid = typeof INVALID;

export interface Schema<T> {
  /** Reads `value` (found at `field`), reporting each problem; INVALID when there was one. */
  read(value: unknown, field: string, problems: FieldProblem[], context: ReadContext): T | Invalid;
  /** present on optional schemas, so an object's type can mark the key optional */
  readonly optional?: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { readonly optional: true } ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Flatten<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Flatten<
  { readonly [K in RequiredKeys<S>]: Infer<S[K]> } & { readonly [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

/** Reads a whole input; throws one 400 naming every field at fault. */
export function readInput<T>(schema: Schema<T>, value: unknown, context: ReadContext = {}): T {
  const problems: FieldProblem[] = [];
  const result = schema.read(value, '', problems, context);
  if (result === INVALID || problems.length > 0) throw invalid(problems);
  return result;
}

/** The one 400 for an input with problems: one problem speaks for itself, several are listed. */
export function invalid(problems: readonly FieldProblem[]): PublicError {
  const message = problems.length === 1 ? problems[0].message : `Some of the details need correcting: ${problems.map((p) => p.field).join(', ')}.`;
  return new PublicError('invalid-request', message, problems);
}

const at = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A field name as it came, made safe to repeat back: only letters, digits and a little
 * punctuation, and not too long (a key can be anything a client sends).
 */
export function clip(value: string, max = 60): string {
  const clean = value.replace(/[^\p{L}\p{N} ._-]/gu, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** The one answer to a field the input does not have, wherever it is. */
export const unknownField = (key: string): string => `This form does not ask for "${clip(key, 40)}". Remove it.`;

/**
 * An object with exactly these fields. Every other field is refused, by name: a field the
 * service does not read must not look accepted. Keys are read as own properties only, so
 * "__proto__" and "constructor" are just unknown fields.
 */
export function object<S extends Shape>(shape: S, options: { missing?: string } = {}): Schema<ObjectOf<S>> {
  const keys = Object.keys(shape);
  const missing = options.missing ?? `Send this as a JSON object with ${keys.join(', ')}.`;
  return {
    read(value, field, problems, context) {
      if (!isPlainObject(value)) {
        problems.push({ field: field || 'body', message: missing });
        return INVALID;
      }
      const before = problems.length;
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key)) problems.push({ field: at(field, clip(key, 40)), message: unknownField(key) });
      }
      const out: Record<string, unknown> = {};
      const siblings = { ...context, siblings: out };
      for (const key of keys) {
        const read = shape[key].read(Object.hasOwn(value, key) ? value[key] : undefined, at(field, key), problems, siblings);
        if (read !== INVALID && read !== undefined) out[key] = read;
      }
      return problems.length > before ? INVALID : (out as ObjectOf<S>);
    },
  };
}

/**
 * A field whose check depends on a field read before it in the same object, e.g. the details
 * a form asks for depend on the service chosen. `choose` gets that field's value, or undefined
 * when it was missing or wrong.
 */
export function dependsOn<T>(sibling: string, choose: (value: unknown) => Schema<T>): Schema<T> {
  return {
    read(value, field, problems, context) {
      const siblings = context.siblings ?? {};
      return choose(Object.hasOwn(siblings, sibling) ? siblings[sibling] : undefined).read(value, field, problems, context);
    },
  };
}

/** Any JSON object, copied; what it must hold is checked later (e.g. once a case is read). */
export function anyObject(options: { missing: string }): Schema<Record<string, unknown>> {
  return {
    read(value, field, problems) {
      if (!isPlainObject(value)) {
        problems.push({ field, message: options.missing });
        return INVALID;
      }
      return Object.fromEntries(Object.entries(value));
    },
  };
}

/** Nothing sent counts as absent: no field, null, or text that is only spaces. */
const isAbsent = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export function optional<T>(schema: Schema<T>): Schema<T | undefined> & { readonly optional: true } {
  return {
    optional: true,
    read: (value, field, problems, context) => (isAbsent(value) ? undefined : schema.read(value, field, problems, context)),
  };
}

/** A field that may be left out, and then has this value. */
export function withDefault<T>(schema: Schema<T>, fallback: T): Schema<T> {
  return { read: (value, field, problems, context) => (isAbsent(value) ? fallback : schema.read(value, field, problems, context)) };
}

/** A further rule on a value that passed its schema: a message for the value's field, or a problem for another field. */
export function check<T>(schema: Schema<T>, rule: (value: T, context: ReadContext) => string | FieldProblem | undefined): Schema<T> {
  return {
    optional: schema.optional,
    read(value, field, problems, context) {
      const read = schema.read(value, field, problems, context);
      if (read === INVALID) return INVALID;
      const problem = rule(read, context);
      if (problem === undefined) return read;
      problems.push(typeof problem === 'string' ? { field, message: problem } : { field: at(field, problem.field), message: problem.message });
      return INVALID;
    },
  };
}

/** A value turned into another once it has passed its schema (e.g. a phone number without spaces). */
export function map<T, U>(schema: Schema<T>, change: (value: T) => U): Schema<U> {
  return {
    read(value, field, problems, context) {
      const read = schema.read(value, field, problems, context);
      return read === INVALID ? INVALID : change(read);
    },
  };
}

/** A value read by a function of our own: a message when it is wrong. */
export function custom<T>(read: (value: unknown, context: ReadContext) => { value: T } | { problem: string }): Schema<T> {
  return {
    read(value, field, problems, context) {
      const result = read(value, context);
      if ('problem' in result) {
        problems.push({ field, message: result.problem });
        return INVALID;
      }
      return result.value;
    },
  };
}

// The one free-text rule. Refused everywhere: C0 and C1 control characters, the Unicode line
// and paragraph separators, the bidirectional overrides and isolates (which make text display as
// something else; right-to-left scripts need none of them) and lone surrogates (not text at
// all). Multi-line text (reasons, grounds, answers) may also hold line breaks and tabs.
export const NOT_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
export const NOT_MULTILINE_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

export interface TextOptions {
  /** what the field holds, as a noun phrase: "your full name", "the postcode" */
  readonly what: string;
  /** how to ask for it, when "Enter <what>" reads badly: "Say why you think the decision was wrong" */
  readonly ask?: string;
  /** at most this many characters (Unicode code points, after trimming) */
  readonly max: number;
  readonly min?: number;
  readonly pattern?: RegExp;
  /** what the right format looks like, e.g. "a UK postcode, like CF10 1AA" */
  readonly hint?: string;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function textSchema(options: TextOptions, multiline: boolean): Schema<string> {
  const ask = options.ask ?? `Enter ${options.what}`;
  const size = options.min ? `in ${options.min} to ${options.max} characters` : `in ${options.max} characters or fewer`;
  const forbidden = multiline ? NOT_MULTILINE_TEXT : NOT_TEXT;
  const hidden = multiline
    ? `${ask} without control characters or hidden formatting characters (copied text can carry them: type it again).`
    : `${ask} without line breaks or control characters.`;
  return custom<string>((value) => {
    if (value === undefined || value === null) return { problem: `${ask}${options.hint ? ` (${options.hint})` : ''}.` };
    if (typeof value !== 'string') return { problem: `Enter ${options.what} as text.` };
    // A browser's text box sends \r\n; one kind of line break is kept.
    const text = (multiline ? value.replace(/\r\n?/g, '\n') : value).normalize('NFC').trim();
    if (text === '') return { problem: `${ask}${options.hint ? ` (${options.hint})` : ''}.` };
    if (forbidden.test(text)) return { problem: hidden };
    const length = [...text].length;
    if (length > options.max || length < (options.min ?? 0)) return { problem: `${ask} ${size}.` };
    if (options.pattern && !options.pattern.test(text)) return { problem: `${capitalise(options.what)} is not in the right format${options.hint ? `: ${options.hint}` : ''}.` };
    return { value: text };
  });
}

/** One line of text (a name, a postcode), trimmed and in Unicode NFC, by the one free-text rule. */
export const text = (options: TextOptions): Schema<string> => textSchema(options, false);

/** Text that may run to several lines (a reason, grounds for appeal, an answer): line breaks and tabs allowed. */
export const freeText = (options: TextOptions): Schema<string> => textSchema(options, true);

/** One of a fixed list of values, exactly as written. */
export function oneOf<const V extends string>(values: readonly V[], options: { what?: string; message?: (given: unknown) => string } = {}): Schema<V> {
  const message = options.message ?? (() => (options.what ? `${capitalise(options.what)} must be one of: ${values.join(', ')}.` : `Choose one of: ${values.join(', ')}.`));
  return custom<V>((value) => (typeof value === 'string' && (values as readonly string[]).includes(value) ? { value: value as V } : { problem: message(value) }));
}

/** A whole number in a range, given as a number or (in a query string) as digits. */
export function wholeNumber(options: { what: string; min: number; max: number }): Schema<number> {
  return custom<number>((value) => {
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,6}$/.test(value.trim()) ? Number(value) : NaN;
    if (Number.isInteger(number) && number >= options.min && number <= options.max) return { value: number };
    return { problem: `${capitalise(options.what)} must be a whole number from ${options.min} to ${options.max}.` };
  });
}

/** A calendar date written year-month-day (YYYY-MM-DD), which must exist. */
export function isoDate(options: { what: string; example?: string }): Schema<string> {
  const example = options.example ?? '1984-03-27';
  return custom<string>((value) => {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return { problem: `Enter ${options.what} as year-month-day, like ${example}.` };
    const parsed = new Date(`${value}T12:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
      return { problem: `${capitalise(options.what)} is not a real date. Check the day and the month, like ${example}.` };
    }
    return { value };
  });
}

/** Today's date from the context, for rules that need it; a schema read without it is a bug. */
export function today(context: ReadContext): string {
  if (!context.today) throw new Error('this input is checked against today\'s date: pass { today } to readInput');
  return context.today;
}
