import { validateSubmission } from '../lambdas/domain/services/application-form';
import { PublicError } from '../lambdas/domain/shared/errors';
import { exampleDetails, requireService, serviceCodesOffering } from '../lambdas/domain/services/catalogue';

const valid = () => ({
  service: 'parking-permit',
  applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+44 7700 900123', language: 'cy' },
  details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High Street', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant' },
});

function problems(body: unknown): Record<string, string> {
  try {
    validateSubmission(body as Record<string, unknown>, '2026-11-22');
  } catch (error) {
    if (!(error instanceof PublicError)) throw error;
    expect(error.status).toBe(400);
    return Object.fromEntries(error.fields.map((f) => [f.field, f.message]));
  }
  throw new Error('expected the submission to be refused');
}

describe('an application form', () => {
  it('accepts a complete application and normalises the phone number', () => {
    const submission = validateSubmission(valid(), '2026-11-22');
    expect(submission.applicant).toEqual({ name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123', language: 'cy' });
    expect(submission.service.code).toBe('parking-permit');
  });

  it('names each missing field and says what to do', () => {
    const found = problems({ service: 'parking-permit', applicant: {}, details: {} });
    expect(Object.keys(found)).toEqual(
      expect.arrayContaining(['applicant.name', 'applicant.dateOfBirth', 'applicant.phone', 'details.vehicleRegistration', 'details.postcode']),
    );
    expect(found['applicant.phone']).toMatch(/\+447700900123/);
  });

  it('refuses an unknown service by name', () => {
    expect(problems({ ...valid(), service: 'fishing-licence' }).service).toMatch(/no service called "fishing-licence".*parking-permit/);
  });

  it.each([
    [{ applicant: { ...valid().applicant, dateOfBirth: '2030-01-01' } }, 'applicant.dateOfBirth', /past/],
    [{ applicant: { ...valid().applicant, dateOfBirth: '1990-02-30' } }, 'applicant.dateOfBirth', /real date/],
    [{ applicant: { ...valid().applicant, phone: '07700 900123' } }, 'applicant.phone', /international format/],
    [{ applicant: { ...valid().applicant, language: 'fr' } }, 'applicant.language', /en \(English\) or cy \(Welsh\)/],
    [{ applicant: { ...valid().applicant, name: 'Alex\u0000Example' } }, 'applicant.name', /control characters/],
    [{ applicant: { ...valid().applicant, name: 'x'.repeat(101) } }, 'applicant.name', /100 characters/],
    [{ details: { ...valid().details, postcode: 'ZZ9 ZZZZ' } }, 'details.postcode', /CF10 1AA/],
    [{ details: { ...valid().details, zone: 'Z' } }, 'details.zone', /A, B, C/],
    [{ details: { ...valid().details, __proto__x: 'polluted' } }, 'details.__proto__x', /does not ask for/],
  ])('explains a wrong value: %j', (change, field, message) => {
    expect(problems({ ...valid(), ...change })[field]).toMatch(message);
  });

  it('accepts names in any script, right-to-left and with emoji', () => {
    for (const name of ['Siân Ŵyn', 'محمد عبد الله', '李小龍', 'Zoë 🚗']) {
      expect(validateSubmission({ ...valid(), applicant: { ...valid().applicant, name } }, '2026-11-22').applicant.name).toBe(name);
    }
  });
});

describe("the catalogue's examples", () => {
  it('make an application every service that takes them accepts, as npm start prints it to try', () => {
    for (const code of serviceCodesOffering('application')) {
      const service = requireService(code);
      const submission = validateSubmission({ service: code, applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123', language: 'en' }, details: exampleDetails(service) }, '2026-11-23');
      expect(Object.keys(submission.details).sort()).toEqual(service.details.filter((field) => field.required).map((field) => field.field).sort());
    }
  });
});
