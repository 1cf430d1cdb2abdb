import fc from 'fast-check';
import { ALPHABET, newReference, parseReference, JOURNEY_PREFIXES, type Journey } from '../lambdas/domain/reference';

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
  it('look like APP-7K3M-9Q2X-4FJT and carry 55 random bits', () => {
    const reference = newReference('application');
    expect(reference).toMatch(/^APP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(parseReference(reference)).toEqual({ ok: true, reference, journey: 'application' });
    expect(11 * Math.log2(32)).toBeGreaterThanOrEqual(50);
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
