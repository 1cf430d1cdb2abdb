// The input schemas (lambdas/domain/shared/schema.ts): each gives a typed value or field-level problems a
// person can act on; unknown fields are refused one way; one free-text rule everywhere.
import fc from 'fast-check';
import {
  check,
  dependsOn,
  freeText,
  isoDate,
  object,
  oneOf,
  optional,
  readInput,
  text,
  today,
  wholeNumber,
  withDefault,
  type Infer,
  type Schema,
} from '../lambdas/domain/shared/schema';
import { PublicError, type FieldProblem } from '../lambdas/domain/shared/errors';

function problemsOf<T>(schema: Schema<T>, value: unknown, context = { today: '2026-11-22' }): FieldProblem[] {
  try {
    readInput(schema, value, context);
  } catch (error) {
    if (!(error instanceof PublicError)) throw error;
    expect(error.status).toBe(400);
    return [...error.fields];
  }
  throw new Error('expected the input to be refused');
}

const messageFor = <T>(schema: Schema<T>, value: unknown, field: string) => problemsOf(schema, value).find((p) => p.field === field)?.message;

const person = object({
  name: text({ what: 'your full name', max: 10 }),
  nickname: optional(text({ what: 'a nickname', max: 10 })),
  contact: object({ phone: text({ what: 'a phone number', max: 20 }) }, { missing: 'Tell us how to reach you: phone.' }),
});

// Compile-time: the schema gives the type (optional keys stay optional; `npm test` type-checks this).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const personType: Equal<Infer<typeof person>, { readonly name: string; readonly nickname?: string; readonly contact: { readonly phone: string } }> = true;

describe('an object schema', () => {
  it('gives a typed value with only the fields it knows', () => {
    expect(personType).toBe(true);
    expect(readInput(person, { name: ' Alex ', contact: { phone: '123' } })).toEqual({ name: 'Alex', contact: { phone: '123' } });
  });

  it('refuses every unknown field, by name, the same way at every depth', () => {
    const found = problemsOf(person, { name: 'Alex', stage: 'approved', admin: true, contact: { phone: '1', extra: 'x' } });
    expect(found).toEqual([
      { field: 'stage', message: 'This form does not ask for "stage". Remove it.' },
      { field: 'admin', message: 'This form does not ask for "admin". Remove it.' },
      { field: 'contact.extra', message: 'This form does not ask for "extra". Remove it.' },
    ]);
  });

  it('treats __proto__ and constructor keys as unknown fields, and changes no prototype', () => {
    const hostile = JSON.parse('{"name":"Alex","contact":{"phone":"1"},"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}');
    expect(problemsOf(person, hostile).map((p) => p.field)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.getPrototypeOf(readInput(person, { name: 'Alex', contact: { phone: '1' } }))).toBe(Object.prototype);
  });

  it('repeats an unknown field name back only as safe, short text', () => {
    const [problem] = problemsOf(person, { name: 'Alex', contact: { phone: '1' }, ['<script>\u202e'.repeat(20)]: 1 });
    expect(problem.field).toMatch(/^[?\w ._-]+…$/);
    expect(problem.message).not.toMatch(/[<>\u202e]/);
  });

  it('asks for a nested object that is missing or not an object, in its own words', () => {
    expect(messageFor(person, { name: 'Alex' }, 'contact')).toBe('Tell us how to reach you: phone.');
    expect(messageFor(person, { name: 'Alex', contact: 'phone 123' }, 'contact')).toBe('Tell us how to reach you: phone.');
    expect(messageFor(person, { name: 'Alex', contact: ['123'] }, 'contact')).toBe('Tell us how to reach you: phone.');
  });

  it('says which fields need correcting: one problem speaks for itself, several are listed', () => {
    expect(() => readInput(person, { contact: { phone: '1' } })).toThrow('Enter your full name.');
    expect(() => readInput(person, { contact: {} })).toThrow('Some of the details need correcting: name, contact.phone.');
  });

  it('treats a missing, null or blank optional field as absent', () => {
    for (const nickname of [undefined, null, '', '   ']) {
      expect(readInput(person, { name: 'Alex', nickname, contact: { phone: '1' } })).not.toHaveProperty('nickname');
    }
  });
});

describe('the one free-text rule', () => {
  const line = text({ what: 'your full name', max: 100 });
  const lines = freeText({ what: 'the reason', max: 100 });
  const FORBIDDEN = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\ud800'];

  it.each(FORBIDDEN.map((c) => [`U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`, c]))('refuses %s in one-line and in multi-line text', (_name, character) => {
    expect(messageFor(line, `Alex ${character}Example`, '')).toMatch(/control characters/);
    expect(messageFor(lines, `Checked ${character}twice`, '')).toMatch(/control characters/);
  });

  it('refuses any text holding any forbidden character, wherever it is', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 20 }), (before, character, after) => {
        const value = `a${before}${character}${after}z`;
        return problemsOf(lines, value).length === 1 && problemsOf(line, value).length === 1;
      }),
    );
  });

  it('lets multi-line text keep line breaks and tabs, and turns \\r\\n into \\n', () => {
    expect(readInput(lines, 'First line.\n\tSecond line.\r\nThird.')).toBe('First line.\n\tSecond line.\nThird.');
    expect(messageFor(line, 'First line.\nSecond line.', '')).toBe('Enter your full name without line breaks or control characters.');
    expect(messageFor(line, 'Alex\tExample', '')).toMatch(/control characters/);
  });

  it('accepts any script, right-to-left text and emoji, trimmed and in NFC', () => {
    for (const name of ['Siân Ŵyn', 'محمد عبد الله', '李小龍', 'Zoë 🚗', 'שלום']) expect(readInput(line, ` ${name} `)).toBe(name);
    expect(readInput(line, 'Sia\u0302n')).toBe('Siân'); // a combining circumflex, composed
  });

  it('counts characters as people do (an emoji is one) and says the limit', () => {
    expect(readInput(text({ what: 'a name', max: 3 }), '🚗🚗🚗')).toBe('🚗🚗🚗');
    expect(messageFor(text({ what: 'a name', max: 3 }), '🚗🚗🚗🚗', '')).toBe('Enter a name in 3 characters or fewer.');
    expect(messageFor(freeText({ what: 'your grounds', ask: 'Say why', min: 10, max: 20 }), 'Too short', '')).toBe('Say why in 10 to 20 characters.');
  });

  it('asks for missing text, and for text rather than a number or an object', () => {
    expect(messageFor(line, undefined, '')).toBe('Enter your full name.');
    expect(messageFor(line, '  ', '')).toBe('Enter your full name.');
    expect(messageFor(line, 42, '')).toBe('Enter your full name as text.');
    expect(messageFor(line, { $ne: null }, '')).toBe('Enter your full name as text.');
  });

  it('explains a format with its hint', () => {
    const postcode = text({ what: 'the postcode', max: 8, pattern: /^[A-Z]{1,2}\d/, hint: 'a UK postcode, like CF10 1AA' });
    expect(messageFor(postcode, '12345', '')).toBe('The postcode is not in the right format: a UK postcode, like CF10 1AA.');
    expect(messageFor(postcode, undefined, '')).toBe('Enter the postcode (a UK postcode, like CF10 1AA).');
  });
});

describe('other schemas', () => {
  it('oneOf takes only the listed values, exactly as written', () => {
    const zone = oneOf(['A', 'B', 'C'], { what: 'the permit zone' });
    expect(readInput(zone, 'B')).toBe('B');
    for (const value of ['a', ' A', 'D', 1, null]) expect(messageFor(zone, value, '')).toBe('The permit zone must be one of: A, B, C.');
  });

  it('wholeNumber reads numbers and query-string digits, in range', () => {
    const limit = wholeNumber({ what: 'the limit', min: 1, max: 100 });
    expect(readInput(limit, '25')).toBe(25);
    expect(readInput(limit, 7)).toBe(7);
    for (const value of ['0', '101', '-1', '1e309', '2.5', 'ten', 2.5, Infinity]) expect(messageFor(limit, value, '')).toBe('The limit must be a whole number from 1 to 100.');
  });

  it('isoDate takes only real dates written year-month-day', () => {
    const date = isoDate({ what: 'your date of birth' });
    expect(readInput(date, '2024-02-29')).toBe('2024-02-29');
    expect(messageFor(date, '01/04/1990', '')).toBe('Enter your date of birth as year-month-day, like 1984-03-27.');
    expect(messageFor(date, '99999-01-01', '')).toMatch(/year-month-day/);
    expect(messageFor(date, '2023-02-29', '')).toMatch(/^Your date of birth is not a real date/);
  });

  it('withDefault fills in a field left out; check adds a rule, for the field or another one', () => {
    const form = check(object({ outcome: withDefault(oneOf(['approve', 'refuse']), 'approve'), reason: optional(freeText({ what: 'the reason', max: 50 })) }), (value) =>
      value.outcome === 'refuse' && !value.reason ? { field: 'reason', message: 'Say why.' } : undefined,
    );
    expect(readInput(form, {})).toEqual({ outcome: 'approve' });
    expect(problemsOf(form, { outcome: 'refuse' })).toEqual([{ field: 'reason', message: 'Say why.' }]);
  });

  it('check rules can compare with today, which the caller must give', () => {
    const after = check(isoDate({ what: 'the new date' }), (date, context) => (date > today(context) ? undefined : 'Give a date after today.'));
    expect(readInput(after, '2026-11-23', { today: '2026-11-22' })).toBe('2026-11-23');
    expect(problemsOf(after, '2026-11-22')).toEqual([{ field: '', message: 'Give a date after today.' }]);
    expect(() => readInput(after, '2026-11-23')).toThrow(/pass \{ today \}/);
  });

  it('dependsOn reads a field with the schema chosen by a field before it', () => {
    const form = object({
      kind: oneOf(['number', 'word']),
      value: dependsOn<string | number>('kind', (kind) => (kind === 'number' ? wholeNumber({ what: 'the value', min: 0, max: 9 }) : text({ what: 'the value', max: 5 }))),
    });
    expect(readInput(form, { kind: 'number', value: '7' })).toEqual({ kind: 'number', value: 7 });
    expect(readInput(form, { kind: 'word', value: 'seven' })).toEqual({ kind: 'word', value: 'seven' });
    expect(messageFor(form, { kind: 'number', value: 'seven' }, 'value')).toMatch(/whole number/);
  });
});
