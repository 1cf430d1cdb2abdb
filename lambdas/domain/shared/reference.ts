// Case references: what citizens type and read aloud. A journey prefix, 11 random Crockford
// base32 symbols (55 bits, so the public lookup cannot be enumerated) and one check symbol.
//
// The check symbol is a weighted sum over GF(32) with distinct non-zero weights, one per
// position (the check symbol itself and the journey prefix included). Because the weights are
// distinct and non-zero in a field, every single-symbol change and every swap of two
// neighbouring symbols changes the sum, so it is caught before any database read.
import { randomInt } from 'node:crypto';

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_SYMBOLS = 11;
const GROUP = 4;

export const JOURNEY_PREFIXES = { application: 'APP', renewal: 'REN', appeal: 'APL' } as const;
export type Journey = keyof typeof JOURNEY_PREFIXES;
const PREFIX_CODES: Record<string, number> = { APP: 1, REN: 2, APL: 3 };

// GF(2^5) with the primitive polynomial x^5 + x^2 + 1.
const EXP: number[] = [];
const LOG: number[] = new Array(32).fill(0);
for (let i = 0, x = 1; i < 31; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 32) x ^= 0b100101;
}
const gfMul = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : EXP[(LOG[a] + LOG[b]) % 31]);
// position 0 is the check symbol, 1..11 the random symbols, 12 the prefix
const weight = (position: number): number => EXP[position % 31];

function checkValue(prefix: string, symbols: number[]): number {
  let sum = gfMul(weight(RANDOM_SYMBOLS + 1), PREFIX_CODES[prefix]);
  symbols.forEach((s, i) => {
    sum ^= gfMul(weight(i + 1), s);
  });
  return sum; // choosing the check symbol equal to this makes the full sum zero (weight(0) = 1)
}

function format(prefix: string, body: string): string {
  const groups = body.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? [];
  return [prefix, ...groups].join('-');
}

/** A new random reference for a journey, e.g. APP-7K3M-9Q2X-4FJT. */
export function newReference(journey: Journey, random: (max: number) => number = randomInt): string {
  const prefix = JOURNEY_PREFIXES[journey];
  const symbols = Array.from({ length: RANDOM_SYMBOLS }, () => random(32));
  const check = checkValue(prefix, symbols);
  return format(prefix, [...symbols, check].map((s) => ALPHABET[s]).join(''));
}

export type ReferenceProblem = 'empty' | 'prefix' | 'length' | 'character' | 'check';
export type ParsedReference =
  | { ok: true; reference: string; journey: Journey }
  | { ok: false; problem: ReferenceProblem; message: string };

const EXAMPLE = 'APP-7K3M-9Q2X-4FJS';

/**
 * Normalises what a person typed (any case, spaces, hyphens, I/L read as 1, O as 0) and checks
 * it. The message says what is wrong in words the person can act on.
 */
export function parseReference(input: string): ParsedReference {
  const compact = String(input ?? '').toUpperCase().replace(/[\s\-_.]/g, '');
  if (compact.length === 0) return fail('empty', `Enter your reference. It looks like ${EXAMPLE}.`);
  const prefix = compact.slice(0, 3);
  const journey = (Object.keys(JOURNEY_PREFIXES) as Journey[]).find((j) => JOURNEY_PREFIXES[j] === prefix);
  if (!journey) {
    return fail('prefix', `A reference starts with APP, REN or APL, like ${EXAMPLE}. Check the start of your reference.`);
  }
  const body = compact.slice(3).replace(/[IL]/g, '1').replace(/O/g, '0');
  if (body.length !== RANDOM_SYMBOLS + 1) {
    return fail(
      'length',
      `A reference has ${RANDOM_SYMBOLS + 1} letters and numbers after ${prefix}, like ${EXAMPLE}. Yours has ${body.length}.`,
    );
  }
  const symbols: number[] = [];
  for (const ch of body) {
    const value = ALPHABET.indexOf(ch);
    if (value < 0) {
      const shown = /^[\x21-\x7e]$/.test(ch) ? `"${ch}"` : 'a character';
      return fail('character', `Your reference contains ${shown}, which is never used in references. Check it and try again.`);
    }
    symbols.push(value);
  }
  const data = symbols.slice(0, RANDOM_SYMBOLS);
  if (checkValue(prefix, data) !== symbols[RANDOM_SYMBOLS]) {
    return fail('check', 'This reference has a mistake in it: one character is wrong or two are the wrong way round. Check it against your confirmation and try again.');
  }
  return { ok: true, reference: format(prefix, body), journey };
}

function fail(problem: ReferenceProblem, message: string): ParsedReference {
  return { ok: false, problem, message };
}
