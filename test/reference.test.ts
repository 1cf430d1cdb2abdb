import fc from 'fast-check';
import { ALPHABET, newReference, parseReference, JOURNEY_PREFIXES, type Journey } from '../lambdas/domain/shared/reference';

const journeys = Object.keys(JOURNEY_PREFIXES) as Journey[];
const anyReference = fc
  .tuple(fc.constantFrom(...journeys), fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 11, maxLength: 11 }))
  .map(([journey, symbols]) => {
    let i = 0;
    return newReference(journey, () => symbols[i++]);
  });

const compact = (reference: string) => reference.replace(/-/g, '');
const regroup = (body: string, prefix: string) => `${prefix}-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}`;

describe('references', () => {
  it('look like APP-7K3M-9Q2X-4FJT and parse back to themselves', () => {
    const reference = newReference('application');
    expect(reference).toMatch(/^APP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(parseReference(reference)).toEqual({ ok: true, reference, journey: 'application' });
  });

  // 55 random bits: eleven independent draws of one of 32 symbols, each kept in the reference
  // (different draws, different references), from a source that uses every symbol everywhere.
  it('carry 55 random bits: eleven draws of 32 symbols, each of which shows', () => {
    const draws: number[] = [];
    newReference('appeal', (max) => {
      draws.push(max);
      return 0;
    });
    expect(draws).toEqual(Array(11).fill(32));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 11, maxLength: 11 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 31 }), (symbols, position, change) => {
        const changed = symbols.map((symbol, i) => (i === position ? (symbol + change) % 32 : symbol));
        const from = (values: number[]) => {
          let i = 0;
          return newReference('application', () => values[i++]);
        };
        return from(symbols) !== from(changed);
      }),
    );
  });

  it('come from a source that uses every symbol at every position, and do not repeat', () => {
    const references = Array.from({ length: 8000 }, () => compact(newReference('application')).slice(3, 14));
    expect(new Set(references).size).toBe(references.length);
    for (let position = 0; position < 11; position++) {
      const counts = new Map<string, number>();
      for (const reference of references) counts.set(reference[position], (counts.get(reference[position]) ?? 0) + 1);
      // 250 expected per symbol; a fair source stays far inside these bounds (about 9 standard deviations)
      expect([position, counts.size]).toEqual([position, 32]);
      expect(Math.max(...counts.values())).toBeLessThan(400);
      expect(Math.min(...counts.values())).toBeGreaterThan(100);
    }
  });

  it('accepts what people type: lower case, spaces, no hyphens, I and L for 1, O for 0', () => {
    const reference = newReference('application', () => 1); // every random symbol is "1"
    const body = compact(reference).slice(3);
    const typed = `app ${body.slice(0, 4).replace(/1/g, 'l')} ${body.slice(4, 8).replace(/1/g, 'I').toLowerCase()}  ${body.slice(8)}`;
    expect(parseReference(typed)).toMatchObject({ ok: true, reference });
    const zeros = newReference('renewal', () => 0);
    expect(parseReference(zeros.replace(/0/g, 'o'))).toMatchObject({ ok: true, reference: zeros });
  });

  it('catches every single-symbol change with the check symbol', () => {
    fc.assert(
      fc.property(anyReference, (reference) => {
        const prefix = reference.slice(0, 3);
        const body = compact(reference).slice(3);
        for (let position = 0; position < body.length; position++) {
          for (const symbol of ALPHABET) {
            if (symbol === body[position]) continue;
            const typo = body.slice(0, position) + symbol + body.slice(position + 1);
            const parsed = parseReference(regroup(typo, prefix));
            if (parsed.ok || parsed.problem !== 'check') return false;
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('catches every swap of two neighbouring symbols', () => {
    fc.assert(
      fc.property(anyReference, (reference) => {
        const prefix = reference.slice(0, 3);
        const body = compact(reference).slice(3);
        for (let position = 0; position + 1 < body.length; position++) {
          if (body[position] === body[position + 1]) continue;
          const swapped = body.slice(0, position) + body[position + 1] + body[position] + body.slice(position + 2);
          const parsed = parseReference(regroup(swapped, prefix));
          if (parsed.ok || parsed.problem !== 'check') return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('catches a reference given under the wrong journey prefix', () => {
    fc.assert(
      fc.property(anyReference, fc.constantFrom(...Object.values(JOURNEY_PREFIXES)), (reference, prefix) => {
        if (reference.startsWith(prefix)) return true;
        const parsed = parseReference(prefix + reference.slice(3));
        return !parsed.ok && parsed.problem === 'check';
      }),
    );
  });

  it.each([
    ['', 'empty', /Enter your reference/],
    ['XYZ-7K3M-9Q2X-4FJT', 'prefix', /starts with APP, REN or APL/],
    ['APP-7K3M-9Q2X-4FJ', 'length', /12 letters and numbers.*Yours has 11/],
    ['APP-7K3M-9Q2X-4FJU', 'character', /contains "U", which is never used/],
    ['APP-../../etc/passwd', 'character', /contains "\/", which is never used/],
  ])('explains what is wrong with %j', (input, problem, message) => {
    const parsed = parseReference(input);
    expect(parsed).toMatchObject({ ok: false, problem });
    expect(parsed.ok ? '' : parsed.message).toMatch(message);
  });
});
