// Honest dates and published performance end to end, on the local platform as a citizen and a
// caseworker use it: decisions made through the API are counted exactly once in
// /performance.json, consistently with the cases' own dates; replaying a step or a milestone
// changes no figure; a new case's status shows the estimate once 30 cases are decided; and
// answering a request for information moves the expected date by the working days taken.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { invoke } from '../local/lambda-runtime';
import { SnsMilestonePublisher } from '../lambdas/adapters/aws/sns';
import { RecordedLog } from '../lambdas/adapters/memory/in-memory';
import { milestoneFor } from '../lambdas/domain/cases/milestones';
import { addWorkingDays, isWorkingDay, ukDate, workingDaysBetween } from '../lambdas/domain/shared/working-days';
import { ESTIMATE_MIN_CASES } from '../lambdas/domain/performance/performance';
import { anApplication, eventually, startTestPlatform, type Api } from './support/platform';
import type { Platform } from '../local/platform';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';

let platform: Platform;
let api: Api;
// the estimate is looked at the moment it is published: no function keeps an earlier one for its minute
process.env.JOURNEY_SUMMARY_CACHE_SECONDS = '0';

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform({ rateLimit: [{ ...PUBLIC_LOOKUP_LIMIT, requests: 100_000 }] }));
});
afterAll(() => platform.stop());

async function awaitingDecision(): Promise<string> {
  const submitted = await api.submit(anApplication());
  expect(submitted.status).toBe(202);
  await api.stage(submitted.body.reference, 'awaiting-decision');
  return submitted.body.reference;
}

async function decided(outcome: 'approve' | 'refuse' = 'approve'): Promise<string> {
  const reference = await awaitingDecision();
  expect((await api.decide(reference, outcome, 'Checked against the records.')).status).toBe(200);
  await api.stage(reference, outcome === 'approve' ? 'approved' : 'refused');
  return reference;
}

/** The published figures of parking-permit applications. */
async function figures(): Promise<any> {
  const reply = await api.request('GET', '/performance.json');
  expect(reply.status).toBe(200);
  return reply.body.journeys.find((row: any) => row.service === 'parking-permit' && row.journey === 'application');
}

const thisMonth = (published: any) => published.months[0];

async function inBatches(count: number, make: () => Promise<string>): Promise<string[]> {
  const made: string[] = [];
  while (made.length < count) made.push(...(await Promise.all(Array.from({ length: Math.min(5, count - made.length) }, make))));
  return made;
}

it('counts exactly N more decisions, with the within-standard count and working days the cases\' own dates give', async () => {
  const before = await figures();
  const references = [await decided('approve'), await decided('refuse'), await decided('approve')];
  const open = await awaitingDecision();
  const after = await figures();
  expect(after.last90Days.decided - before.last90Days.decided).toBe(3);
  expect(thisMonth(after).decided - thisMonth(before).decided).toBe(3);
  expect(after.last90Days.received - before.last90Days.received).toBe(4);
  expect(after.openCases - before.openCases).toBe(1);

  // each case's own dates: received and decided today, within its standard
  let within = 0;
  const days: number[] = [];
  for (const reference of references) {
    const record = (await api.case(reference)).body;
    const workingDays = workingDaysBetween(ukDate(new Date(record.createdAt)), ukDate(new Date(record.decision.at)));
    expect(record.decisionFacts).toEqual({ receivedOn: ukDate(new Date(record.createdAt)), decidedOn: ukDate(new Date(record.decision.at)), workingDays, withinStandard: true });
    if (record.decisionFacts.withinStandard) within++;
    days.push(workingDays);
  }
  expect(after.last90Days.decidedWithinStandard - before.last90Days.decidedWithinStandard).toBe(within);
  if (before.last90Days.decided === 0) {
    expect(after.last90Days).toMatchObject({ workingDaysToDecisionP50: Math.max(...days), workingDaysToDecisionP90: Math.max(...days), decidedWithinStandardPercent: 100, fewerThan10Decided: true });
  }
  expect(after.oldestOpenReceivedOn <= ukDate(new Date())).toBe(true);
  expect(JSON.stringify(after)).not.toContain(open);
});

it('changes no figure when a step or a milestone is replayed', async () => {
  const reference = await decided('approve');
  await platform.sns.settled();
  const record = (await api.case(reference)).body;
  const texts = async () => (await api.request('GET', '/_local/outbox')).body.messages.length;
  const before = { figures: await figures(), texts: await texts() };
  // the case is counted already: decided, and its texts sent
  expect(before.figures.last90Days).toMatchObject({ decided: expect.any(Number), textsSent: expect.any(Number) });
  expect(before.figures.last90Days.decided).toBeGreaterThan(0);
  expect(before.figures.last90Days.textsSent).toBeGreaterThan(0);

  // the outcome step run again, as Step Functions retries it
  await invoke('steps/record-outcome', { reference, decision: record.decision });
  // the approved milestone delivered again, as SNS may
  const publisher = new SnsMilestonePublisher(new SNSClient({ endpoint: platform.awsEndpoint }), process.env.MILESTONE_TOPIC_ARN!, new RecordedLog());
  expect(await publisher.publish(milestoneFor(record))).toBe(true);
  await platform.sns.settled();

  expect(await figures()).toEqual(before.figures);
  expect(await texts()).toBe(before.texts);
});

it('shows a new case the estimate once 30 cases are decided, and only then', async () => {
  const decidedSoFar = (await figures()).last90Days.decided;
  await inBatches(ESTIMATE_MIN_CASES - 1 - decidedSoFar, () => decided());
  await platform.runJob('PublishPositions'); // the estimate is worked out every 15 minutes
  const early = await awaitingDecision();
  expect((await figures()).last90Days.decided).toBe(ESTIMATE_MIN_CASES - 1);
  expect((await api.status(early)).body.estimate).toBeUndefined();

  await decided();
  await platform.runJob('PublishPositions');
  const fresh = await awaitingDecision();
  const status = (await api.status(fresh)).body;
  // every case here was decided the day it came: within a working day
  expect(status.estimate).toMatchObject({ decidedCases: ESTIMATE_MIN_CASES, p50WorkingDays: 0, p90WorkingDays: 0 });
  expect(status.estimate.text).toMatch(/^Most applications like yours are decided within 1 working day; 9 in 10 within 1 working day\. This is how long recent ones took, not a promise\. We aim to decide by \d+ \w+ \d{4}\.$/);
  const page = await fetch(`${platform.url}/track/${fresh}`).then((reply) => reply.text());
  expect(page).toContain('Most applications like yours are decided within 1 working day');
  // and in Welsh
  expect((await api.status(fresh, '?lang=cy')).body.estimate.text).toContain('9 o bob 10 o fewn 1 diwrnod gwaith');
  // a decided case is told nothing about how long others take
  expect((await api.status(early)).body.estimate).toBeDefined();
  await api.decide(early, 'approve');
  await api.stage(early, 'approved');
  expect((await api.status(early)).body.estimate).toBeUndefined();
}, 120_000);

it('moves the expected date by the working days the citizen took to answer a request for information', async () => {
  const reference = await awaitingDecision();
  const dueOn = (await api.case(reference)).body.standard.dueOn;
  await api.decide(reference, 'request-information', 'Send a photo of the V5C logbook.');
  await api.stage(reference, 'information-needed');
  expect((await api.status(reference)).body.serviceStandard).toMatchObject({ paused: true });

  // the request was opened three working days ago: the clock stopped then
  let asked = ukDate(new Date());
  for (let taken = 0; taken < 3; ) {
    asked = new Date(Date.parse(`${asked}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    if (isWorkingDay(asked)) taken++;
  }
  const taken = workingDaysBetween(asked, ukDate(new Date()));
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: platform.dynamoEndpoint }));
  await db.send(new UpdateCommand({ TableName: platform.tableName, Key: { reference }, UpdateExpression: 'SET #s.#p = :at', ExpressionAttributeNames: { '#s': 'standard', '#p': 'pausedAt' }, ExpressionAttributeValues: { ':at': `${asked}T10:00:00.000Z` } }));
  db.destroy();

  const answered = await api.request('POST', `/status/${reference}/information`, { body: { dateOfBirth: '1990-04-01', information: 'Here is the photo of the V5C.' } });
  expect(answered.status).toBe(202);
  const status = await api.stage(reference, 'awaiting-decision');
  expect(taken).toBe(3);
  expect(status.expectedBy).toBe(addWorkingDays(dueOn, 3));
  expect(status.serviceStandard).toMatchObject({ paused: false, movedByWorkingDays: 3 });
  expect(status.serviceStandard.text).toMatch(/^We waited 3 working days for your answer, so the date we aim to decide by moved from .+ to .+\.$/);
  const record = await eventually(async () => (await api.case(reference)).body, (body) => body.standard?.pausedWorkingDays === 3);
  expect(record.standard.dueOn).toBe(addWorkingDays(dueOn, 3));
});
