// A service offers only the journeys its catalogue entry lists: one that takes no appeals cannot
// be appealed, and likewise renewals and applications. A case whose service has left the
// catalogue gets one error everywhere. Test services are injected here; the real catalogue
// (catalogue/services.json) is left as it is.
import type { CaseRecord } from '../lambdas/domain/cases/case';
import { requireService } from '../lambdas/domain/services/catalogue';
import { validateSubmission } from '../lambdas/domain/services/application-form';
import { appealOf, renewalOf } from '../lambdas/domain/journeys/follow-ups';
import { PublicError, ServiceNotOffered } from '../lambdas/domain/shared/errors';

jest.mock('../catalogue/services.json', () => {
  const real = jest.requireActual('../catalogue/services.json');
  const like = (journeys: string[], en: string) => ({ ...real['parking-permit'], journeys, name: { en, cy: en } });
  return {
    ...real,
    'visitor-permit': like(['application'], 'Visitor parking permit'),
    'permit-renewals': like(['renewal'], 'Permit renewal'),
  };
});

const TODAY = '2026-11-22';
const application = (service: string) => ({
  service,
  applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123', language: 'en' },
  details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High Street', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant' },
});

function aCase(service: string, stage: CaseRecord['stage']): CaseRecord {
  const at = '2026-11-20T10:00:00.000Z';
  const { details, applicant } = application(service);
  return {
    reference: 'APP-7K3M-9Q2X-4FJT',
    journey: 'application',
    service,
    language: 'en',
    stage,
    version: 5,
    createdAt: at,
    updatedAt: at,
    applicant: { name: applicant.name, dateOfBirth: applicant.dateOfBirth, phone: applicant.phone },
    details,
    history: [],
    audit: [],
    notifications: [],
    appealBy: '2026-12-18',
    decision: { outcome: stage === 'refused' ? 'refuse' : 'approve', reason: 'Checked.', by: 'caseworker-7', at },
  };
}

function refusal(act: () => unknown): PublicError {
  try {
    act();
  } catch (error) {
    if (error instanceof PublicError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the journeys a service offers', () => {
  it('takes applications only for a service that offers them, and says which do', () => {
    expect(validateSubmission(application('visitor-permit'), TODAY).service.code).toBe('visitor-permit');
    const error = refusal(() => validateSubmission(application('permit-renewals'), TODAY));
    expect(error.status).toBe(400);
    expect(error.fields).toEqual([{ field: 'service', message: expect.stringMatching(/Permit renewal service does not take new applications\. Choose one of: parking-permit, visitor-permit\.$/) }]);
  });

  it('refuses to renew a case whose service offers no renewals, with a 409 that says what to do', () => {
    expect(renewalOf(aCase('parking-permit', 'approved'), {}, TODAY).submission.service.code).toBe('parking-permit');
    const error = refusal(() => renewalOf(aCase('visitor-permit', 'approved'), {}, TODAY));
    expect(error).toMatchObject({ status: 409, code: 'not-eligible', message: 'The Visitor parking permit service does not offer renewals. Apply for a new one instead.' });
  });

  it('refuses to appeal a case whose service takes no appeals, with a 409 that says whom to contact', () => {
    expect(appealOf(aCase('parking-permit', 'refused'), 'My street is in zone A.', TODAY).submission.details).toEqual({ grounds: 'My street is in zone A.' });
    const error = refusal(() => appealOf(aCase('visitor-permit', 'refused'), 'My street is in zone A.', TODAY));
    expect(error).toMatchObject({ status: 409, code: 'not-eligible', message: expect.stringMatching(/^The Visitor parking permit service does not take appeals\. .*contact the parking permits team\.$/) });
  });

  it('gives a case whose service has left the catalogue one error, wherever it is asked', () => {
    const errors = [
      refusal(() => requireService('ferry-pass')),
      refusal(() => renewalOf(aCase('ferry-pass', 'approved'), {}, TODAY)),
      refusal(() => appealOf(aCase('ferry-pass', 'refused'), 'My street is in zone A.', TODAY)),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ServiceNotOffered);
      expect(error).toMatchObject({ name: 'ServiceNotOffered', status: 409, code: 'not-eligible', message: errors[0].message });
    }
  });
});
