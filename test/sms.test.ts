// SMS cost money per segment: every template fits its budget with the longest values it can be
// filled with (English in one segment, Welsh in at most two), and segments are counted honestly.
import { CONTENT, fill } from '../lambdas/domain/content';
import { LANGUAGES } from '../lambdas/domain/language';
import { smsSegments, maskPhone } from '../lambdas/domain/sms';
import { serviceCodes, findService } from '../lambdas/domain/catalogue';

const BUDGET = { en: 1, cy: 2 } as const;

function longestDate(language: 'en' | 'cy'): string {
  const format = new Intl.DateTimeFormat(language === 'cy' ? 'cy-GB' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  return Array.from({ length: 12 }, (_, month) => format.format(new Date(Date.UTC(2027, month, 28, 12))))
    .map((text) => text.replace('28', '30'))
    .sort((a, b) => b.length - a.length)[0];
}

describe('SMS segments', () => {
  it('counts GSM-7 text in 160-character segments, then 153', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 }); // escaped: two septets each
  });

  it('counts any text with a Welsh ŵ or ŷ as UCS-2, in 70 then 67', () => {
    expect(smsSegments(`Gŵyl ${'a'.repeat(65)}`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments(`Dŷ ${'a'.repeat(68)}`).segments).toBe(2);
    expect(smsSegments('apêl').encoding).toBe('UCS-2');
  });

  it('masks phone numbers for logs', () => {
    expect(maskPhone('+447700900123')).toBe('+44******23');
  });
});

describe('every SMS template', () => {
  const cases = LANGUAGES.flatMap((language) =>
    Object.entries(CONTENT[language].journeys).flatMap(([journey, content]) =>
      Object.entries(content!.sms).map(([milestone, template]) => [language, journey, milestone, template!] as const),
    ),
  );

  it('exists for every milestone in both languages', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases)('%s %s %s fits its segment budget at its longest', (language, _journey, _milestone, template) => {
    const serviceName = serviceCodes()
      .map((code) => findService(code)!.name[language])
      .sort((a, b) => b.length - a.length)[0];
    const text = fill(template, { service: serviceName, reference: 'APP-WWWW-WWWW-WWWW', date: longestDate(language) });
    expect(text).not.toMatch(/\{\w+\}/);
    expect(smsSegments(text).segments).toBeLessThanOrEqual(BUDGET[language]);
  });

  it('names the reference and says what happens next in plain words', () => {
    for (const [, , , template] of cases) {
      expect(template).toContain('{reference}');
      expect(template.split(/[.:!?]\s/).length).toBeGreaterThanOrEqual(2);
    }
  });
});
