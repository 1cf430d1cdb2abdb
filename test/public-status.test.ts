import fc from 'fast-check';
import { publicStatus, CONTENT } from '../lambdas/domain/services/content';
import { OUTCOMES, PUBLIC_ATTRIBUTES, STAGES, type CaseRecord } from '../lambdas/domain/cases/case';
import { LANGUAGES } from '../lambdas/domain/shared/language';
import { JOURNEY_DEFINITION, STEPS } from '../lambdas/functions';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const TODAY = '2026-11-23';

const applicantArb = fc.record({
  name: fc.string({ minLength: 4, maxLength: 40 }).filter((s) => s.trim().length >= 4),
  dateOfBirth: fc.date({ min: new Date('1920-01-01'), max: new Date('2008-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  phone: fc.stringMatching(/^\+44 ?7\d{9}$/),
});

function caseWith(applicant: CaseRecord['applicant'], stage: CaseRecord['stage']): CaseRecord {
  const at = '2026-11-20T10:00:00.000Z';
  return {
    reference: 'APP-7K3M-9Q2X-4FJT',
    journey: 'application',
    service: 'parking-permit',
    language: 'en',
    stage,
    version: 3,
    createdAt: at,
    updatedAt: at,
    expectedBy: '2026-12-04',
    applicant,
    details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High Street', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant' },
    history: [{ at, stage: 'received' }, { at, stage }],
    audit: [{ at, actor: 'citizen', action: 'submitted', reason: applicant.name }],
    notifications: [],
    taskToken: 'secret-token',
    decision: { outcome: 'refuse', reason: 'The vehicle is not registered at the address.', by: 'caseworker-7', at },
    informationRequest: { reason: 'Send a V5C.', by: 'caseworker-7', at },
    delay: { reason: 'service-standard-passed', days: 10, newDate: '2026-12-11', at },
    appealBy: '2026-12-18',
  };
}

describe('the public status', () => {
  it('does not depend on the applicant\'s name, phone or date of birth, whatever they are', () => {
    const someone = { name: 'Placeholder Person', dateOfBirth: '1950-01-01', phone: '+447700900000' };
    fc.assert(
      fc.property(applicantArb, fc.constantFrom(...STAGES), fc.constantFrom(...LANGUAGES), (applicant, stage, language) => {
        if (stage === 'renewal-due') return true; // not a stage of every journey's text; the guards check coverage
        const theirs = JSON.stringify(publicStatus(caseWith(applicant, stage), language, TODAY));
        return theirs === JSON.stringify(publicStatus(caseWith(someone, stage), language, TODAY)) && !theirs.includes('secret-token');
      }),
      { numRuns: 300 },
    );
  });

  it('never carries a distinctive name, phone or date of birth', () => {
    const text = JSON.stringify(publicStatus(caseWith({ name: 'Zebedee Quartermaine', dateOfBirth: '1961-07-13', phone: '+447700900987' }, 'refused'), 'en', TODAY));
    for (const secret of ['Zebedee', 'Quartermaine', '1961-07-13', '900987', 'caseworker-7']) expect(text).not.toContain(secret);
  });

  it('is built only from public attributes, which leave out personal data and the task token', () => {
    for (const attribute of ['applicant', 'audit', 'taskToken', 'details', 'informationResponses']) {
      expect(PUBLIC_ATTRIBUTES).not.toContain(attribute);
    }
  });

  it('says when we texted the citizen, and nothing else about the texts', () => {
    const sent = { event: 'evt-1', milestone: 'received', channel: 'sms', status: 'sent', segments: 1, at: '2026-03-03T10:00:00.000Z' } as const;
    const failed = { ...sent, event: 'evt-2', status: 'failed', at: '2026-03-04T10:00:00.000Z' } as const;
    const status = publicStatus({ ...caseWith({ name: 'A', dateOfBirth: '1990-01-01', phone: '+447700900987' }, 'awaiting-decision'), notifications: [sent, failed] }, 'en', TODAY);
    expect(status.texts).toEqual([{ at: '2026-03-03T10:00:00.000Z' }]);
  });

  it('says why a case is late and the new date when it is escalated', () => {
    const view = publicStatus(caseWith({ name: 'A B', dateOfBirth: '1990-01-01', phone: '+447700900123' }, 'escalated'), 'en', TODAY);
    expect(view.stage.title).toBe('Taking longer than we promised');
    expect(view.delay).toEqual({ reason: 'It has taken longer than our service standard of 10 working days.', newDate: '2026-12-11' });
    // the citizen is told the delay's new date; the service standard's stays on the case for the queues
    expect(view.nextSteps).toContain('11 December 2026');
    expect(view.expectedBy).toBe('2026-12-11');
  });

  it('explains a refusal with the caseworker\'s reason and the appeal deadline, in Welsh too', () => {
    const record = caseWith({ name: 'A B', dateOfBirth: '1990-01-01', phone: '+447700900123' }, 'refused');
    expect(publicStatus(record, 'en', TODAY).stage.description).toContain('The vehicle is not registered at the address.');
    expect(publicStatus(record, 'en', TODAY).nextSteps).toContain('18 December 2026');
    expect(publicStatus(record, 'cy', TODAY).nextSteps).toContain('18 Rhagfyr 2026');
    expect(publicStatus(record, 'cy', TODAY).stage.title).toBe("Wedi'i wrthod");
  });
});

describe('a permit', () => {
  const person = { name: 'A B', dateOfBirth: '1990-01-01', phone: '+447700900123' };
  const approved = (stage: 'approved' | 'renewal-due'): CaseRecord => ({ ...caseWith(person, stage), decision: { outcome: 'approve', reason: '', by: 'cw', at: '2026-12-03T10:00:00.000Z' }, expiresOn: '2027-12-03' });

  it('runs until the end of its last day', () => {
    expect(publicStatus(approved('renewal-due'), 'en', '2027-12-03')).toMatchObject({ stage: { code: 'renewal-due', title: 'Renewal due', description: 'Your permit runs out on 3 December 2027.' } });
  });

  it('has expired once its end has passed, in the past tense, whether or not the job has moved it, and says until when it can be renewed', () => {
    for (const stage of ['approved', 'renewal-due'] as const) {
      const view = publicStatus(approved(stage), 'en', '2027-12-04');
      expect(view.stage).toEqual({ code: 'expired', title: 'Expired', description: 'Your permit ran out on 3 December 2027.' });
      expect(view.nextSteps).toBe('You can still renew it until 31 December 2027: renew with your reference APP-7K3M-9Q2X-4FJT and your date of birth. After that, apply for a new permit.');
    }
    const welsh = publicStatus(approved('renewal-due'), 'cy', '2027-12-04');
    expect(welsh.stage).toEqual({ code: 'expired', title: 'Wedi dod i ben', description: 'Daeth eich trwydded i ben ar 3 Rhagfyr 2027.' });
    expect(welsh.nextSteps).toContain('31 Rhagfyr 2027');
  });

  it('a year after its end, cannot be renewed: the citizen is told to apply again, in both languages', () => {
    const view = publicStatus(approved('renewal-due'), 'en', '2028-12-03');
    expect(view.stage.code).toBe('expired');
    expect(view.nextSteps).toBe('It can no longer be renewed. If you still need a permit, apply for a new one.');
    expect(view.nextSteps).not.toContain('3 December 2027');
    expect(publicStatus({ ...approved('approved'), stage: 'expired' }, 'cy', '2028-12-03').nextSteps).toBe('Nid oes modd ei hadnewyddu mwyach. Os oes angen trwydded arnoch o hyd, gwnewch gais am un newydd.');
  });
});

describe('the content catalogue', () => {
  it('has every placeholder in a Welsh text also in its English text', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [journey, content] of Object.entries(CONTENT.en.journeys)) {
      for (const [stage, text] of Object.entries(content!.stages)) {
        const welsh = CONTENT.cy.journeys[journey as 'application']!.stages[stage as 'received']!;
        expect(welsh).toBeDefined();
        for (const field of ['title', 'description', 'nextSteps', 'nextStepsTooLateToRenew', 'responsible'] as const) {
          expect([journey, stage, field, placeholders(welsh[field] ?? '')]).toEqual([journey, stage, field, placeholders(text[field] ?? '')]);
        }
      }
    }
  });

  it('names only stages that the case model knows, in every journey\'s ASL', () => {
    // The journeys' definition moves a case through its steps: the stages it can name are those
    // of the steps it invokes (from the function registry), and any stage written in it.
    const text = readFileSync(path.join(__dirname, '..', JOURNEY_DEFINITION), 'utf8');
    const definition = JSON.parse(text);
    const named = new Set<string>([...text.matchAll(/"stage"\s*:\s*"([^"]*)"/g)].map((match) => match[1]));
    for (const [name, state] of Object.entries<any>(definition.States)) {
      if (state.Type !== 'Task') continue;
      const substitution = /\$\{(\w+)\}/.exec(JSON.stringify(state.Parameters ?? state.Resource))?.[1];
      const step = STEPS.find((candidate) => candidate.substitution === substitution);
      expect([name, step?.name]).toEqual([name, expect.any(String)]);
      for (const stage of step!.stages) named.add(stage);
    }
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((stage) => !(STAGES as readonly string[]).includes(stage))).toEqual([]);
    // and it routes a decision only on outcomes the case model knows
    const routed = Object.values<any>(definition.States).flatMap((state) => (state.Type === 'Choice' ? state.Choices : [])).filter((rule) => rule.Variable === '$.decision.outcome');
    expect(routed.map((rule: any) => rule.StringEquals).sort()).toEqual([...OUTCOMES].sort());
  });

  it('has citizen text only for stages that the case model knows', () => {
    const unknown = LANGUAGES.flatMap((language) =>
      Object.entries(CONTENT[language].journeys).flatMap(([journey, content]) =>
        Object.keys(content!.stages)
          .filter((stage) => !(STAGES as readonly string[]).includes(stage))
          .map((stage) => `${language}:${journey}:${stage}`),
      ),
    );
    expect(unknown).toEqual([]);
  });
});
