// What the benchmarks price: the local platform, started with its meter, counts what a journey
// does as AWS bills it (state transitions, invocations, DynamoDB request units, publishes, texts,
// API requests, log bytes), and what it counts shows the status lookup reads what a service
// publishes once a minute, not on every lookup.
import { anApplication, startTestPlatform, type Api } from './support/platform';
import type { Platform } from '../local/platform';

let platform: Platform;
let api: Api;

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform({ meter: true }));
});
afterAll(() => platform.stop());

it('counts what a journey from submission to decision does', async () => {
  const before = await platform.usage();
  const reference = (await api.submit(anApplication())).body.reference;
  await api.stage(reference, 'awaiting-decision');
  expect((await api.decide(reference, 'approve')).status).toBe(200);
  await api.stage(reference, 'approved');
  await platform.settled();
  const after = await platform.usage();

  expect(after.executions - before.executions).toBe(1);
  // CheckCase, AwaitDecision, the decision's choice, RecordOutcome and the end: every state entered
  expect(after.stateTransitions - before.stateTransitions).toBeGreaterThanOrEqual(4);
  const invocations = (name: string) => (after.lambda[name]?.invocations ?? 0) - (before.lambda[name]?.invocations ?? 0);
  expect([invocations('SubmitApplication'), invocations('CheckDetails'), invocations('AwaitDecision'), invocations('Decide'), invocations('RecordOutcome')]).toEqual([1, 1, 1, 1, 1]);
  // two texts (received, approved), each with its receipt
  expect([invocations('SmsNotifier'), invocations('SmsReceipts')]).toEqual([2, 2]);
  expect([after.sns.texts - before.sns.texts, after.sns.segments - before.sns.segments]).toEqual([2, 2]);
  expect(after.api['POST /applications'] - (before.api['POST /applications'] ?? 0)).toBe(1);
  expect(after.api['POST /cases/{reference}/decision'] - (before.api['POST /cases/{reference}/decision'] ?? 0)).toBe(1);
  expect(after.dynamodb.writeUnits).toBeGreaterThan(before.dynamodb.writeUnits);
  expect(after.dynamodb.readUnits).toBeGreaterThan(before.dynamodb.readUnits);
  expect(after.lambda.CheckDetails.memoryMb).toBe(256);
  // the functions' own lines and metrics, in their files rather than on the terminal
  expect(after.logs.bytes).toBeGreaterThan(before.logs.bytes);
  expect(after.logs.metrics).toContain('JourneyTracker/SmsSent service=journey-tracker');
});

it('reads what a service publishes once a minute for the status lookup, not at every lookup of an open case', async () => {
  const reference = (await api.submit(anApplication())).body.reference;
  await api.stage(reference, 'awaiting-decision');
  await platform.settled();
  const reads = async () => (await platform.usage()).dynamodb.requests.GetItem ?? 0;
  const before = await reads();
  for (let n = 0; n < 5; n++) expect((await api.status(reference)).status).toBe(200);
  // five reads of the case, and at most one of its service's summary (none if kept from just now)
  const made = (await reads()) - before;
  expect(made).toBeGreaterThanOrEqual(5);
  expect(made).toBeLessThanOrEqual(6);
});
