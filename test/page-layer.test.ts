// The page layer's own rules, without a browser: markup escapes what people type, forms read what
// people write the way they write it and answer in their language, and both languages say
// everything. The pages in a real browser are test/citizen-pages.test.ts.
import en from '../catalogue/pages/en.json';
import cy from '../catalogue/pages/cy.json';
import { serviceCodes, findService } from '../lambdas/domain/services/catalogue';
import { citizenActions } from '../lambdas/domain/citizens/citizen-actions';
import type { PublicCaseFields } from '../lambdas/domain/cases/case';
import { newReference } from '../lambdas/domain/shared/reference';
import { html, attributes } from '../lambdas/web/html';
import { FormProblems, readDateOfBirth, readPhone, readReference, readText } from '../lambdas/web/forms';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../lambdas/web/page-http';
import { say } from '../lambdas/web/words';
import { detailQuestion, readDetails } from '../lambdas/pages/application-fields';
import type { Service } from '../lambdas/domain/services/catalogue';

const keysOf = (value: unknown, prefix = ''): string[] =>
  value && typeof value === 'object' ? Object.entries(value).flatMap(([key, inner]) => keysOf(inner, `${prefix}${key}.`)) : [prefix.slice(0, -1)];

describe('markup', () => {
  it('escapes every value put into a page, so typed text never becomes markup', () => {
    const typed = '<script>alert("x")</script> & \'quotes\'';
    expect(html`<p title="${typed}">${typed}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>',
    );
  });

  it('keeps markup it built itself, and leaves out attributes that are off', () => {
    const inner = html`<b>${'a<b'}</b>`;
    expect(html`<p>${inner}${[html`<i>1</i>`, '<2>']}</p>`.value).toBe('<p><b>a&lt;b</b><i>1</i>&lt;2&gt;</p>');
    expect(attributes({ id: 'x', hidden: true, checked: false, value: undefined, name: '"n"' }).value).toBe(' id="x" hidden name="&quot;n&quot;"');
  });
});

describe('security headers', () => {
  it('allow no inline script or style, no framing and no referrer', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    expect(SECURITY_HEADERS['strict-transport-security']).toMatch(/max-age=\d{8}/);
    expect(SECURITY_HEADERS['referrer-policy']).toBe('no-referrer');
  });
});

describe('reading forms', () => {
  it('forgives case and spaces in a reference, and says what is wrong with a typo in Welsh too', () => {
    const reference = newReference('application', () => 7);
    expect(readReference(` ${reference.toLowerCase().replace(/-/g, ' ')} `, 'en')).toEqual({ ok: true, value: reference });
    const typo = readReference(reference.slice(0, -1) + (reference.endsWith('A') ? 'B' : 'A'), 'cy');
    expect(typo).toEqual({ ok: false, message: cy.reference.check });
    expect(readReference('', 'en')).toEqual({ ok: false, message: en.reference.empty });
  });

  it('takes a UK mobile number as people write it', () => {
    expect(readPhone('07700 900123', true, 'en')).toEqual({ ok: true, value: '+447700900123' });
    expect(readPhone('0044 7700 900123', true, 'en')).toEqual({ ok: true, value: '+447700900123' });
    expect(readPhone('+44 (0)7700', true, 'en').ok).toBe(false);
    expect(readPhone('', false, 'en')).toEqual({ ok: true, value: undefined });
  });

  it('reads a date of birth from three boxes, naming the boxes at fault', () => {
    expect(readDateOfBirth({ day: '1', month: '4', year: '1990' }, 'date of birth', '2026-11-23', 'en')).toEqual({ ok: true, value: '1990-04-01' });
    expect(readDateOfBirth({ day: '1', month: '', year: '1990' }, 'date of birth', '2026-11-23', 'en')).toEqual({ ok: false, message: 'Date of birth must include a month', parts: ['month'] });
    expect(readDateOfBirth({ day: '31', month: '2', year: '1990' }, 'date of birth', '2026-11-23', 'en')).toEqual(expect.objectContaining({ ok: false, message: 'Date of birth must be a real date' }));
    expect(readDateOfBirth({ day: '1', month: '1', year: '2030' }, 'date of birth', '2026-11-23', 'en')).toEqual(expect.objectContaining({ ok: false, message: 'Date of birth must be in the past' }));
    // Welsh puts the label first, so no word before it has to mutate it
    expect(readDateOfBirth({}, 'eich dyddiad geni', '2026-11-23', 'cy')).toEqual(expect.objectContaining({ ok: false, message: 'Eich dyddiad geni: mae angen hwn' }));
  });

  it('refuses text with control or direction-changing characters, as the API does', () => {
    expect(readText('abc\u202edef', { label: 'postcode', required: true, max: 10 }, 'en').ok).toBe(false);
    expect(readText('line one\nline two', { label: 'your answer', required: true, max: 100, multiline: true }, 'en')).toEqual({ ok: true, value: 'line one\nline two' });
    expect(readText('  ', { label: 'postcode', required: false, max: 10 }, 'en')).toEqual({ ok: true, value: undefined });
    expect(readText(' CF10   1AA ', { label: 'postcode', required: true, max: 8 }, 'en')).toEqual({ ok: true, value: 'CF10 1AA' });
  });

  it('keeps the first problem of each field, linked to where the person should go', () => {
    const problems = new FormProblems();
    problems.addDate('dateOfBirth', { ok: false, message: 'Date of birth must include a year', parts: ['year'] });
    problems.add('dateOfBirth', 'a second problem');
    expect(problems.list).toEqual([{ field: 'dateOfBirth-year', message: 'Date of birth must include a year' }]);
    expect(problems.byField.dateOfBirth).toBe('Date of birth must include a year');
  });

  it('capitalises a label at the start of a sentence', () => {
    expect(say(en.errors.tooLong, { label: 'postcode', max: 8 })).toBe('Postcode must be 8 characters or fewer');
  });
});

describe('both languages', () => {
  it('have every page sentence', () => {
    expect(keysOf(cy).sort()).toEqual(keysOf(en).sort());
    for (const key of keysOf(cy)) expect([key, key.split('.').reduce((v: any, k) => v[k], cy)]).toEqual([key, expect.stringMatching(/\S/)]);
  });

  it('have every label, hint and choice the catalogue asks citizens about', () => {
    for (const code of serviceCodes()) {
      for (const field of findService(code)!.details) {
        expect([field.field, field.label.en, field.label.cy].every(Boolean)).toBe(true);
        if (field.hint) expect([field.field, Boolean(field.hint.en && field.hint.cy)]).toEqual([field.field, true]);
        for (const choice of field.oneOf ?? []) expect([choice.value, Boolean(choice.label.en && choice.label.cy)]).toEqual([choice.value, true]);
      }
    }
  });
});

describe('what a citizen can do next', () => {
  const at = '2026-11-20T10:00:00.000Z';
  const base: PublicCaseFields = { reference: 'APP-7K3M-9Q2X-4FJT', journey: 'application', service: 'parking-permit', language: 'en', stage: 'approved', history: [], createdAt: at, updatedAt: at, notifications: [] };

  it('offers renewal of an approved permit once, an appeal of a refusal in time, and an answer when asked', () => {
    expect(citizenActions(base, '2026-11-23')).toEqual(['renew']);
    expect(citizenActions({ ...base, links: { renewedBy: 'REN-...' } }, '2026-11-23')).toEqual([]);
    expect(citizenActions({ ...base, stage: 'refused', appealBy: '2026-12-01' }, '2026-11-23')).toEqual(['appeal']);
    expect(citizenActions({ ...base, stage: 'refused', appealBy: '2026-11-22' }, '2026-11-23')).toEqual([]);
    expect(citizenActions({ ...base, stage: 'information-needed' }, '2026-11-23')).toEqual(['answer']);
    expect(citizenActions({ ...base, journey: 'appeal', stage: 'refused' }, '2026-11-23')).toEqual([]);
    expect(citizenActions({ ...base, stage: 'awaiting-decision' }, '2026-11-23')).toEqual([]);
  });
});

describe('a form from the catalogue', () => {
  // A service no code knows about: its questions come only from its catalogue entry.
  const service = {
    code: 'bin-collection',
    details: [
      { field: 'binSize', label: { en: 'bin size', cy: 'maint y bin' }, required: true, oneOf: [{ value: 'small', label: { en: 'Small', cy: 'Bach' } }, { value: 'large', label: { en: 'Large', cy: 'Mawr' } }] },
      { field: 'uprn', label: { en: 'property number', cy: 'rhif eiddo' }, required: true, maxLength: 12, pattern: '^\\d{1,12}$', hint: { en: 'digits only, like 100023336956', cy: 'digidau yn unig, fel 100023336956' } },
      { field: 'notes', label: { en: 'notes', cy: 'nodiadau' }, required: false, maxLength: 50 },
    ],
  } as unknown as Service;

  it('asks each detail in the citizen\'s language, a choice as radios', () => {
    const page = service.details.map((spec) => detailQuestion(spec, 'cy', {}, undefined).value).join('');
    expect(page).toContain('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Maint y bin</legend>');
    expect(page).toContain('type="radio" value="large"');
    expect(page).toContain('>Mawr</label>');
    expect(page).toContain('<label class="govuk-label" for="uprn">Rhif eiddo</label><div id="uprn-hint" class="govuk-hint">Digidau yn unig, fel 100023336956</div>');
    expect(page).toContain('Nodiadau (dewisol)');
  });

  it('reads the answers by the catalogue\'s rules, with a message per detail at fault', () => {
    const problems = new FormProblems();
    expect(readDetails(service, { binSize: 'huge', uprn: '12ab', notes: '' }, 'en', problems)).toEqual({});
    expect(problems.list).toEqual([
      { field: 'binSize', message: 'Select bin size' },
      { field: 'uprn', message: 'Enter property number in the right format: digits only, like 100023336956' },
    ]);
    const fine = new FormProblems();
    expect(readDetails(service, { binSize: 'large', uprn: ' 100023336956 ', notes: '' }, 'en', fine)).toEqual({ binSize: 'large', uprn: '100023336956' });
    expect(fine.any).toBe(false);
  });

  it('on a renewal leaves a blank detail out, so it stays as it was', () => {
    const problems = new FormProblems();
    expect(readDetails(service, { binSize: '', uprn: '', notes: 'gate code 12' }, 'en', problems, true)).toEqual({ notes: 'gate code 12' });
    expect(problems.any).toBe(false);
  });
});
