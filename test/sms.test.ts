// SMS cost money per segment: every template fits its budget with the longest values it can be
// filled with (English in one segment, Welsh in at most two), and segments are counted honestly.
import { CONTENT, fill, readableDate } from '../lambdas/domain/services/content';
import { LANGUAGES, type Language } from '../lambdas/domain/shared/language';
import { smsSegments, maskPhone, renderSms } from '../lambdas/domain/messages/sms';
import { serviceCodes, findService } from '../lambdas/domain/services/catalogue';
import { MILESTONES, type Milestone } from '../lambdas/domain/cases/milestones';
import { SMS_MILESTONES } from '../lambdas/notify/subscriptions';
import { JOURNEY_PREFIXES, type Journey } from '../lambdas/domain/shared/reference';
import type { CaseRecord } from '../lambdas/domain/cases/case';
import { PAUSE_HOURS } from '../lambdas/domain/citizens/identity';

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

  // Each milestone's text tells the citizen the date that matters then; the case below has a
  // different date for each, so a text with the wrong one shows.
  const DATE_FOR: Partial<Record<Milestone, string>> = {
    received: '2027-01-11',
    'information-needed': '2027-01-11',
    delayed: '2027-02-12',
    approved: '2027-03-13',
    'renewal-due': '2027-03-13',
    expired: '2027-03-13',
    refused: '2027-04-14',
  };
  const aCase = (journey: Journey, language: Language): CaseRecord => ({
    reference: `${JOURNEY_PREFIXES[journey]}-7K3M-9Q2X-4FJT`,
    journey,
    service: 'parking-permit',
    language,
    stage: 'received',
    version: 1,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    expectedBy: '2027-01-11',
    delay: { reason: 'Waiting for the DVLA.', newDate: '2027-02-12', at: '2026-11-21T10:00:00.000Z' },
    expiresOn: '2027-03-13',
    appealBy: '2027-04-14',
    applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123' },
    details: {},
    history: [],
    audit: [],
    notifications: [],
  });

  it.each(LANGUAGES)('texts a citizen who reads %s at the same milestones as in English, with their reference and the date that matters', (language) => {
    for (const journey of Object.keys(JOURNEY_PREFIXES) as Journey[]) {
      const texted = Object.keys(CONTENT.en.journeys[journey]!.sms);
      expect([journey, Object.keys(CONTENT[language].journeys[journey]!.sms).sort()]).toEqual([journey, [...texted].sort()]);
      // the milestones every journey must text about
      expect(texted).toEqual(expect.arrayContaining(['received', 'information-needed', 'delayed', 'approved', 'refused']));
      const record = aCase(journey, language);
      for (const milestone of MILESTONES) {
        const text = renderSms(record, milestone);
        if (!texted.includes(milestone)) {
          expect([journey, milestone, text]).toEqual([journey, milestone, undefined]);
          continue;
        }
        expect(SMS_MILESTONES).toContain(milestone); // the notifier hears about it
        expect(text).toContain(record.reference);
        expect(text).not.toMatch(/\{\w+\}/);
        const template = CONTENT[language].journeys[journey]!.sms[milestone]!;
        if (template.includes('{service}')) expect(text).toContain(findService('parking-permit')!.name[language]);
        if (template.includes('{date}')) {
          expect([journey, milestone, text]).toEqual([journey, milestone, expect.stringContaining(readableDate(DATE_FOR[milestone], language)!)]);
        }
      }
    }
  });

  it.each(cases)('%s %s %s fits its segment budget at its longest', (language, _journey, _milestone, template) => {
    const serviceName = serviceCodes()
      .map((code) => findService(code)!.name[language])
      .sort((a, b) => b.length - a.length)[0];
    const text = fill(template, { service: serviceName, reference: 'APP-WWWW-WWWW-WWWW', date: longestDate(language), hours: PAUSE_HOURS });
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
