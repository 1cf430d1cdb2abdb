// Renewals, appeals, requests for information answered by the citizen, explained delays and
// renewal reminders, over HTTP on the local platform, each through its journey's ASL file.
import { startTestPlatform, anApplication, eventually, type Api } from './support/platform';
import type { Platform } from '../local/platform';
import { newReference } from '../lambdas/domain/shared/reference';

let platform: Platform;
let api: Api;
beforeAll(async () => {
  ({ platform, api } = await startTestPlatform());
});
afterAll(() => platform.stop());

const DOB = '1990-04-01';

async function decided(outcome: 'approve' | 'refuse', reason = 'Checked.', by = 'dev-caseworker'): Promise<string> {
  const reference = (await api.submit(anApplication({ applicant: { dateOfBirth: DOB } }))).body.reference;
  await api.stage(reference, 'awaiting-decision');
  expect((await api.decide(reference, outcome, reason, by)).status).toBe(200);
  await api.stage(reference, outcome === 'approve' ? 'approved' : 'refused');
  return reference;
}

const notifications = async (reference: string) => (await api.case(reference)).body.notifications.map((n: any) => `${n.milestone}:${n.status}`);

describe('appeals', () => {
  it('lets a refused application be appealed, and the appeal is decided by someone else', async () => {
    const refused = await decided('refuse', 'The vehicle is registered at another address.');
    const status = await api.status(refused);
    expect(status.body.nextSteps).toMatch(/you can appeal until \d+ \w+ \d{4}/);

    const wrongPerson = await api.request('POST', '/appeals', { body: { appeals: refused, dateOfBirth: '1991-01-01', grounds: 'I moved house last month.' } });
    expect(wrongPerson.status).toBe(404);
    // grounds written over several lines, as a browser's text box sends them (\r\n)
    const appeal = await api.request('POST', '/appeals', { body: { appeals: refused.toLowerCase(), dateOfBirth: DOB, grounds: 'I moved house last month.\r\n\tHere is my new V5C.' } });
    expect(appeal.status).toBe(202);
    expect(appeal.body).toMatchObject({ reference: expect.stringMatching(/^APL-/), stage: 'received' });
    const appealRef = appeal.body.reference;
    expect((await api.case(appealRef)).body.details).toEqual({ grounds: 'I moved house last month.\n\tHere is my new V5C.' });

    const waiting = await api.stage(appealRef, 'awaiting-decision');
    expect(waiting.stage.title).toBe('With an appeals officer');
    const sameOfficer = await api.decide(appealRef, 'approve', 'Evidence accepted.', 'dev-caseworker');
    expect(sameOfficer.status).toBe(403);
    expect(sameOfficer.body.error.message).toMatch(/You made the decision that is being appealed/);

    expect((await api.decide(appealRef, 'approve', 'The new V5C shows the right address.', 'dev-senior')).status).toBe(200);
    const upheld = await api.stage(appealRef, 'approved');
    expect(upheld.stage.title).toBe('Appeal upheld');
    expect((await api.case(refused)).body.links).toEqual({ appealedBy: appealRef });

    const again = await api.request('POST', '/appeals', { body: { appeals: refused, dateOfBirth: DOB, grounds: 'Appealing a second time.' } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already been appealed/);
  });

  it('refuses to appeal an approval, with a 409 that says why', async () => {
    const approved = await decided('approve');
    const reply = await api.request('POST', '/appeals', { body: { appeals: approved, dateOfBirth: DOB, grounds: 'I want to appeal anyway.' } });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: 'not-eligible', message: expect.stringMatching(/Only a refusal can be appealed/) });
  });
});

describe('renewals', () => {
  it('renews an approved permit with a new reference, prefilled from the old case', async () => {
    const approved = await decided('approve');
    const firstExpiry = (await api.case(approved)).body.expiresOn;
    const renewal = await api.request('POST', '/renewals', { body: { renews: approved, dateOfBirth: DOB, details: { vehicleRegistration: 'XY70 ZZZ' } } });
    expect(renewal.status).toBe(202);
    const renewalRef = renewal.body.reference;
    expect(renewalRef).toMatch(/^REN-/);
    const record = (await api.case(renewalRef)).body;
    expect(record.details).toMatchObject({ vehicleRegistration: 'XY70 ZZZ', postcode: 'CF10 1AA' });
    expect(record.links).toEqual({ renews: approved });

    await api.stage(renewalRef, 'awaiting-decision');
    await api.decide(renewalRef, 'approve', 'Still eligible.');
    const renewed = await api.stage(renewalRef, 'approved');
    expect(renewed.stage.title).toBe('Renewed');
    expect((await api.case(renewalRef)).body.expiresOn > firstExpiry).toBe(true);

    const twice = await api.request('POST', '/renewals', { body: { renews: approved, dateOfBirth: DOB } });
    expect(twice.status).toBe(409);
  });

  it('answers 409 for a refused case and 404 for an unknown one', async () => {
    const refused = await decided('refuse');
    const notApproved = await api.request('POST', '/renewals', { body: { renews: refused, dateOfBirth: DOB } });
    expect(notApproved.status).toBe(409);
    expect(notApproved.body.error.message).toMatch(/Only an approved permit can be renewed/);
    const unknown = await api.request('POST', '/renewals', { body: { renews: newReference('application'), dateOfBirth: DOB } });
    expect(unknown.status).toBe(404);
  });

  it('reminds the citizen to renew before the permit runs out, once', async () => {
    const approved = await decided('approve');
    const { expiresOn } = (await api.case(approved)).body;
    await platform.runReminders(new Date(`${expiresOn}T00:00:00Z`));
    const due = await api.stage(approved, 'renewal-due');
    expect(due.stage.title).toBe('Renewal due');
    expect(due.nextSteps).toContain(approved);
    await platform.runReminders(new Date(`${expiresOn}T00:00:00Z`));
    await platform.sns.settled();
    const sent = await eventually(() => notifications(approved), (list) => list.includes('renewal-due:sent'));
    expect(sent.filter((n: string) => n.startsWith('renewal-due'))).toHaveLength(1);
    // a permit renewed in time is not reminded about again
    expect((await api.request('POST', '/renewals', { body: { renews: approved, dateOfBirth: DOB } })).status).toBe(202);
  });
});

describe('requests for information', () => {
  it('shows the caseworker\'s words, takes the answer only with the right date of birth, and returns the case to the queue', async () => {
    const reference = (await api.submit(anApplication({ applicant: { dateOfBirth: DOB } }))).body.reference;
    await api.stage(reference, 'awaiting-decision');
    await api.decide(reference, 'request-information', 'Send a photo of your V5C logbook.');
    const asked = await api.stage(reference, 'information-needed');
    expect(asked.stage.description).toContain('Send a photo of your V5C logbook.');

    const answer = (dateOfBirth: string) => api.request('POST', `/status/${reference}/information`, { body: { dateOfBirth, information: 'Photo sent by post.\nRegistration AB12 CDE.' } });
    const wrong = await answer('1970-01-01');
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.message).not.toMatch(/date of birth is wrong/i);
    // exactly the answer a reference with no case gets: a wrong date of birth reveals nothing
    const nobody = newReference('application');
    const unknown = await api.request('POST', `/status/${nobody}/information`, { body: { dateOfBirth: DOB, information: 'Photo sent by post.' } });
    expect(wrong.body).toEqual(JSON.parse(JSON.stringify(unknown.body).replaceAll(nobody, reference)));
    const answered = await answer(DOB);
    expect(answered.status).toBe(202);
    expect(answered.body).toEqual({ reference, stage: 'information-needed', statusUrl: `/status/${reference}` });

    await api.stage(reference, 'awaiting-decision');
    const queue = await api.request('GET', '/cases?queue=awaiting-decision', { token: 'dev-caseworker' });
    expect(queue.body.cases.map((c: any) => c.reference)).toContain(reference);
    const record = (await eventually(() => api.case(reference), (reply) => reply.body.audit.some((a: any) => a.action === 'information-received'))).body;
    expect(record.informationResponses).toEqual([{ at: expect.any(String), text: 'Photo sent by post.\nRegistration AB12 CDE.' }]);
    // the decision date is a fresh one from the answer, not the date the answer was due
    expect(record.expectedBy).not.toBe(asked.expectedBy);
    expect((await answer(DOB)).status).toBe(409);
  });
});

describe('delays', () => {
  it('puts the caseworker\'s reason and the new date on the status, and tells the citizen', async () => {
    const reference = (await api.submit()).body.reference;
    await api.stage(reference, 'awaiting-decision');
    const reply = await api.request('POST', `/cases/${reference}/delay`, {
      token: 'dev-caseworker',
      body: { reason: 'We are waiting for the DVLA to confirm the vehicle keeper.', newDate: '2027-01-15' },
    });
    expect(reply.status).toBe(200);
    const status = (await api.status(reference)).body;
    expect(status.delay).toEqual({ reason: 'We are waiting for the DVLA to confirm the vehicle keeper.', newDate: '2027-01-15' });
    expect(status.expectedBy).toBe('2027-01-15');
    await eventually(() => notifications(reference), (list) => list.includes('delayed:sent'));
    const bad = await api.request('POST', `/cases/${reference}/delay`, { token: 'dev-caseworker', body: { reason: '', newDate: '2020-01-01' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field)).toEqual(['reason', 'newDate']);
  });
});
