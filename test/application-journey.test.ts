// The application journey executed end to end: the real ASL file on the interpreter, the real
// step handlers on dynalite, decisions through the real API.
import { startTestPlatform, eventually, anApplication, type Api } from './support/platform';
import { tokenOf } from './support/tokens';
import type { Platform } from '../local/platform';

let platform: Platform;
let api: Api;
const failing = new Map<string, number>(); // step entry → failures left to inject

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform({
    retryIntervalOverrides: { CheckCase: 0, RecordOutcome: 0, PutOnHold: 0 },
    interceptStep: async (entry, _payload, run) => {
      const left = failing.get(entry) ?? 0;
      if (left > 0) {
        failing.set(entry, left - 1);
        throw Object.assign(new Error('injected failure'), { name: 'ServiceUnavailable' });
      }
      return run();
    },
  }));
});
afterAll(() => platform.stop());
afterEach(() => failing.clear());

async function submitted(application = anApplication()): Promise<string> {
  const reply = await api.submit(application);
  expect(reply.status).toBe(202);
  return reply.body.reference;
}

const execution = (reference: string) => platform.sfn.execution(`arn:aws:states:eu-west-2:000000000000:execution:application-journey:${reference}`);

describe('the application journey', () => {
  it('runs checks, waits for a caseworker and records an approval', async () => {
    const reference = await submitted();
    await api.stage(reference, 'awaiting-decision');
    const queue = await api.request('GET', '/cases?queue=awaiting-decision', { token: 'dev-caseworker' });
    expect(queue.body.cases.map((c: any) => c.reference)).toContain(reference);

    expect((await api.decide(reference, 'approve')).status).toBe(200);
    const status = await api.stage(reference, 'approved');
    expect(status.history.map((h: any) => h.title)).toEqual(['Application received', 'Details checked', 'With a caseworker', 'Approved']);
    expect(status.nextSteps).toMatch(/valid until \d+ \w+ \d{4}/);
    await eventually(async () => execution(reference)?.status, (s) => s === 'SUCCEEDED');

    const after = await api.request('GET', '/cases?queue=awaiting-decision', { token: 'dev-caseworker' });
    expect(after.body.cases.map((c: any) => c.reference)).not.toContain(reference);
  });

  it('records a refusal with its reason and the appeal deadline', async () => {
    const reference = await submitted();
    await api.stage(reference, 'awaiting-decision');
    await api.decide(reference, 'refuse', 'The address is outside the permit zone.');
    const status = await api.stage(reference, 'refused');
    expect(status.stage.description).toContain('The address is outside the permit zone.');
    expect(status.nextSteps).toMatch(/appeal until/);
  });

  it('flags a complex case and gives it the longer service standard', async () => {
    const simple = await api.stage(await submitted(), 'awaiting-decision');
    const reference = await submitted(anApplication({ details: { vehicleKeeper: 'lease-company' } }));
    const complex = await api.stage(reference, 'awaiting-decision');
    expect(complex.expectedBy > simple.expectedBy).toBe(true);
    const record = await api.case(reference);
    expect(record.body.checks).toEqual({ complex: true, flags: ['vehicle-not-registered-to-applicant'] });
  });

  it('asks the citizen for information, shows the caseworker\'s words, and resumes when they answer', async () => {
    const reference = await submitted();
    await api.stage(reference, 'awaiting-decision');
    await api.decide(reference, 'request-information', 'Send a photo of the vehicle\'s V5C logbook.');
    const status = await api.stage(reference, 'information-needed');
    expect(status.stage.description).toContain("Send a photo of the vehicle's V5C logbook.");
    expect(status.responsible).toBe('you');
    // The citizen's answer reaches the journey through its task token (the answer API is issue 3).
    const { taskToken } = (await api.case(reference)).body as { taskToken?: string };
    expect(taskToken).toBeUndefined(); // the token never leaves the service
    const token = await eventually(async () => tokenOf(platform, reference), Boolean);
    platform.sfn.sendTaskSuccess({ taskToken: token, output: JSON.stringify({ answered: true }) });
    await api.stage(reference, 'awaiting-decision');
    expect((await api.decide(reference, 'approve')).status).toBe(200);
    await api.stage(reference, 'approved');
    const audit = (await api.case(reference)).body.audit.map((a: any) => a.action);
    expect(audit).toEqual(['submitted', 'decided:request-information', 'information-received', 'decided:approve']);
  });

  it('retries a step that fails for a moment, and the journey carries on', async () => {
    failing.set('steps/check-details', 2);
    const reference = await submitted();
    await api.stage(reference, 'awaiting-decision');
    expect(failing.get('steps/check-details')).toBe(0);
  });

  it('puts the case on hold, visibly and in the on-hold queue, when a step keeps failing', async () => {
    failing.set('steps/check-details', 100);
    const reference = await submitted();
    const status = await api.stage(reference, 'on-hold');
    expect(status.stage.description).toMatch(/safe/);
    const queue = await api.request('GET', '/cases?queue=on-hold', { token: 'dev-caseworker' });
    expect(queue.body.cases.map((c: any) => c.reference)).toContain(reference);
    await eventually(async () => execution(reference)?.status, (s) => s === 'FAILED');
    expect(execution(reference)?.error).toBe('CaseOnHold');
    const audit = (await api.case(reference)).body.audit;
    expect(audit.at(-1)).toMatchObject({ actor: 'journey', action: 'put-on-hold', reason: 'A journey step failed: ServiceUnavailable' });
  });

  it('keeps going when the milestone topic is down', async () => {
    platform.sns.topicOutage = true;
    try {
      const reference = await submitted();
      await api.stage(reference, 'awaiting-decision');
      await api.decide(reference, 'approve');
      await api.stage(reference, 'approved');
    } finally {
      platform.sns.topicOutage = false;
    }
  });

  it('puts the case on hold rather than guess when a decision has an outcome it does not know', async () => {
    const reference = await submitted();
    await api.stage(reference, 'awaiting-decision');
    platform.sfn.sendTaskSuccess({ taskToken: await tokenOf(platform, reference), output: JSON.stringify({ outcome: 'maybe', reason: '', by: 'x', at: '' }) });
    await api.stage(reference, 'on-hold');
  });

  it('starts nothing new for a duplicate StartExecution, and refuses a used task token', async () => {
    const reference = await submitted();
    await api.stage(reference, 'awaiting-decision');
    const input = JSON.stringify({ reference, journey: 'application', service: 'parking-permit' });
    const stateMachineArn = 'arn:aws:states:eu-west-2:000000000000:stateMachine:application-journey';
    const again = platform.sfn.startExecution({ stateMachineArn, name: reference, input });
    expect(again.executionArn).toBe(execution(reference)!.executionArn);
    expect(() => platform.sfn.startExecution({ stateMachineArn, name: reference, input: '{"other":true}' })).toThrow(expect.objectContaining({ type: 'ExecutionAlreadyExists' }));

    const token = await tokenOf(platform, reference);
    expect((await api.decide(reference, 'approve')).status).toBe(200);
    expect(() => platform.sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(expect.objectContaining({ type: 'TaskDoesNotExist' }));
    await api.stage(reference, 'approved');
  });
});
