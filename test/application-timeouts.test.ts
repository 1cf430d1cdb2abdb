// The application journey when its waits run out: the service standard for a decision passes,
// or the citizen does not answer a request for information. Waits are shortened to a second.
import { startTestPlatform, eventually, type Api } from './support/platform';
import { tokenOf } from './support/tokens';
import type { Platform } from '../local/platform';

let timed: Platform;
let timedApi: Api;
beforeAll(async () => {
  ({ platform: timed, api: timedApi } = await startTestPlatform({ taskTimeoutSeconds: { AwaitDecision: 1, RequestInformation: 1 } }));
});
afterAll(() => timed.stop());

describe('the application journey when waits run out', () => {

  it('escalates to a senior caseworker when the service standard passes, and tells the citizen why', async () => {
    const reference = (await timedApi.submit()).body.reference;
    await timedApi.stage(reference, 'awaiting-decision');
    const firstToken = await eventually(async () => tokenOf(timed, reference), Boolean);
    const status = await timedApi.stage(reference, 'escalated', 10_000);
    expect(status.delay.reason).toMatch(/longer than our service standard of 10 working days/);
    expect(status.expectedBy).toBe(status.delay.newDate);

    const senior = await timedApi.request('GET', '/cases?queue=senior-review', { token: 'dev-senior' });
    expect(senior.body.cases.map((c: any) => c.reference)).toContain(reference);
    // the journey no longer accepts the token that timed out
    expect(() => timed.sfn.sendTaskSuccess({ taskToken: firstToken, output: '{}' })).toThrow(expect.objectContaining({ type: 'TaskTimedOut' }));

    const notSenior = await timedApi.decide(reference, 'approve', 'ok', 'dev-caseworker');
    expect(notSenior.status).toBe(403);
    expect(notSenior.body.error.message).toMatch(/senior caseworker/);
    const notified = await eventually(async () => (await timedApi.case(reference)).body.notifications.map((n: any) => n.milestone), (m) => m.includes('delayed'));
    expect(notified).toContain('delayed');
    expect((await timedApi.decide(reference, 'approve', 'ok', 'dev-senior')).status).toBe(200);
    await timedApi.stage(reference, 'approved');
  });

  it('returns the case to a caseworker when the citizen does not answer in time', async () => {
    const reference = (await timedApi.submit()).body.reference;
    await timedApi.stage(reference, 'awaiting-decision');
    await timedApi.decide(reference, 'request-information', 'Send proof of address.');
    await timedApi.stage(reference, 'information-needed');
    await eventually(async () => (await timedApi.case(reference)).body.audit.map((a: any) => a.action), (a) => a.includes('information-not-received'), 10_000);
  });
});

