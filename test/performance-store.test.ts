// The service's figures on dynalite and in memory: each tally counted once however often it is
// sent (a retried step, a milestone delivered twice), the day's figures read back without what
// the store remembers, and an older estimate or queue reading never replacing a newer one.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamo, ensureCaseTable } from '../local/dynamodb';
import { DynamoPerformanceStore } from '../lambdas/adapters/aws/dynamodb-performance-store';
import { performanceSliceKey } from '../lambdas/adapters/aws/case-table';
import { countedMark } from '../lambdas/adapters/aws/dynamodb-performance-store';
import { tallyKey } from '../lambdas/domain/performance/performance';
import { CountedMetrics, InMemoryCaseStore, InMemoryPerformanceStore, RecordedLog } from '../lambdas/adapters/memory/in-memory';
import { publishPositions } from '../lambdas/domain/performance/performance-tally';
import type { Estimate, Tally } from '../lambdas/domain/performance/performance';
import type { PerformanceStore } from '../lambdas/domain/ports';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let client: DynamoDBClient;
const stores: Record<string, () => PerformanceStore> = {};
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  client = new DynamoDBClient({ endpoint: dynamo.endpoint });
  const documents = DynamoDBDocumentClient.from(client);
  // each test gets a table of its own, so no test sees another's figures
  stores.dynalite = () => {
    const table = `figures-${++tables}`;
    // today (UK) is 23 November 2026 for these figures: today and yesterday are read from their slices
    const store = new DynamoPerformanceStore(documents, table, () => new Date('2026-11-23T12:00:00Z'));
    ready.push(ensureCaseTable(client, table));
    return store;
  };
  stores['in memory'] = () => new InMemoryPerformanceStore();
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});
const ready: Promise<void>[] = [];
async function aStore(kind: string): Promise<PerformanceStore> {
  const store = stores[kind]();
  await Promise.all(ready.splice(0));
  return store;
}

const decided = (reference: string, on: string, workingDays: number, withinStandard = true): Tally => ({ kind: 'decided', reference, on, workingDays, withinStandard });

describe.each(['dynalite', 'in memory'])('the performance store (%s)', (kind) => {
  it('counts each tally once, however often it is sent', async () => {
    const store = await aStore(kind);
    expect(await store.count('parking-permit', 'application', decided('APP-1', '2026-11-23', 3))).toBe(true);
    expect(await store.count('parking-permit', 'application', decided('APP-1', '2026-11-23', 3))).toBe(false);
    expect(await store.count('parking-permit', 'application', decided('APP-2', '2026-11-23', 5, false))).toBe(true);
    expect(await store.count('parking-permit', 'application', { kind: 'received', reference: 'APP-1', on: '2026-11-23' })).toBe(true);
    expect(await store.count('parking-permit', 'application', { kind: 'closed', reference: 'APP-1', on: '2026-11-23' })).toBe(true);
    expect(await store.count('parking-permit', 'application', { kind: 'text', event: 'APP-1/received/0', on: '2026-11-23', sent: true })).toBe(true);
    expect(await store.count('parking-permit', 'application', { kind: 'text', event: 'APP-1/received/0', on: '2026-11-23', sent: true })).toBe(false);
    // a text that failed and then went counts once as each
    expect(await store.count('parking-permit', 'application', { kind: 'text', event: 'APP-1/approved/3', on: '2026-11-23', sent: false })).toBe(true);
    expect(await store.count('parking-permit', 'application', { kind: 'text', event: 'APP-1/approved/3', on: '2026-11-23', sent: true })).toBe(true);

    const [day] = await store.days('parking-permit', 'application', '2026-11-01', '2026-11-30');
    expect(day).toEqual({ day: '2026-11-23', received: 1, decided: 2, withinStandard: 1, closed: 1, textsSent: 2, textsFailed: 1, textsDelivered: 0, textsNotDelivered: 0, workingDays: { '3': 1, '5': 1 } });
  });

  it('keeps each service, journey and day apart, and reads only the days asked for', async () => {
    const store = await aStore(kind);
    await store.count('parking-permit', 'application', decided('APP-1', '2026-11-20', 2));
    await store.count('parking-permit', 'application', decided('APP-2', '2026-11-23', 4));
    await store.count('parking-permit', 'renewal', decided('REN-1', '2026-11-23', 1));
    await store.count('other-service', 'application', decided('APP-3', '2026-11-23', 1));
    const days = await store.days('parking-permit', 'application', '2026-11-21', '2026-11-23');
    expect(days.map((day) => [day.day, day.decided, day.workingDays])).toEqual([['2026-11-23', 1, { '4': 1 }]]);
    // the same reference counted for another day is another tally: the day is part of what is counted
    expect(await store.count('parking-permit', 'application', decided('APP-1', '2026-11-21', 2))).toBe(true);
  });

  it('reads a whole year of days, more than one batch of them', async () => {
    const store = await aStore(kind);
    await store.count('parking-permit', 'application', decided('APP-1', '2025-12-01', 2));
    await store.count('parking-permit', 'application', decided('APP-2', '2026-11-23', 4));
    // a day before yesterday is read from its roll-up (the scheduled run adds up the last week's)
    await store.rollUp('parking-permit', 'application', '2025-12-01', '2026-11-23T12:00:00.000Z');
    const days = await store.days('parking-permit', 'application', '2025-12-01', '2026-11-23');
    expect(days.map((day) => day.day)).toEqual(['2025-12-01', '2026-11-23']);
  });

  it('keeps the newest estimate and queue reading, never an older one', async () => {
    const store = await aStore(kind);
    const estimate = (computedAt: string, decidedCases: number): Estimate => ({ decided: decidedCases, withinStandard: decidedCases, p50: 2, p90: 4, from: '2026-08-26', to: '2026-11-23', computedAt });
    expect(await store.summary('parking-permit', 'application')).toBeUndefined();
    expect(await store.saveEstimate('parking-permit', 'application', estimate('2026-11-23T10:00:01.000Z', 31))).toBe(true);
    expect(await store.saveEstimate('parking-permit', 'application', estimate('2026-11-23T10:00:00.000Z', 30))).toBe(false);
    expect(await store.saveQueues('parking-permit', 'application', { 'awaiting-decision': { oldestReceivedOn: '2026-11-12', waiting: 4 } }, '2026-11-23T10:00:00.000Z')).toBe(true);
    expect(await store.saveQueues('parking-permit', 'application', {}, '2026-11-23T09:45:00.000Z')).toBe(false);
    expect(await store.summary('parking-permit', 'application')).toEqual({
      estimate: estimate('2026-11-23T10:00:01.000Z', 31),
      queues: { 'awaiting-decision': { oldestReceivedOn: '2026-11-12', waiting: 4 } },
      queuesAt: '2026-11-23T10:00:00.000Z',
    });
  });
});

it('remembers what it counted by a short hash, never by the reference itself, in the slice of the day the hash names', async () => {
  const store = (await aStore('dynalite')) as DynamoPerformanceStore;
  const tally = decided('APP-7K3M-9Q2X-4FJT', '2026-11-23', 3);
  await store.count('parking-permit', 'application', tally);
  const table = `figures-${tables}`;
  const slice = performanceSliceKey('parking-permit', 'application', '2026-11-23', countedMark(tallyKey(tally)).slice);
  const item = await client.send(new GetItemCommand({ TableName: table, Key: { reference: { S: slice } } }));
  expect(JSON.stringify(item.Item)).not.toContain('7K3M');
  expect(item.Item?.counted?.SS).toHaveLength(1);
});

it('asks for a day before yesterday to be added up again when a tally comes for it, and is added up by the next scheduled run', async () => {
  const store = (await aStore('dynalite')) as DynamoPerformanceStore;
  // a case received three weeks ago and decided today: "no longer open" is counted on the day it came
  const old = '2026-11-02';
  const performance = store;
  const deps = { performance, store: new InMemoryCaseStore(() => new Date('2026-11-23T12:00:00Z')), metrics: new CountedMetrics(), log: new RecordedLog(), clock: () => new Date('2026-11-23T12:00:00Z') };
  expect(await store.count('parking-permit', 'application', { kind: 'closed', reference: 'APP-1', on: old })).toBe(true);
  expect(await store.daysToRollUpAgain('parking-permit', 'application')).toEqual([old]);
  expect(await store.days('parking-permit', 'application', old, old)).toEqual([]); // not added up yet
  await publishPositions(deps);
  expect((await store.days('parking-permit', 'application', old, old))[0]).toMatchObject({ day: old, closed: 1 });
  expect(await store.daysToRollUpAgain('parking-permit', 'application')).toEqual([]);
  expect(deps.metrics.counts).toEqual({});
  // counted again: nothing more, whenever it is added up
  expect(await store.count('parking-permit', 'application', { kind: 'closed', reference: 'APP-1', on: old })).toBe(false);
  await publishPositions(deps);
  expect((await store.days('parking-permit', 'application', old, old))[0].closed).toBe(1);
});

describe('a busy day', () => {
  const day = '2026-11-20'; // before yesterday: read from its roll-up
  const tallies = Array.from({ length: 200 }, (_, n) => decided(`APP-${n}`, day, n % 7, n % 4 !== 0));

  it('spreads its tallies over slices, so no item holds the whole day', async () => {
    const store = (await aStore('dynalite')) as DynamoPerformanceStore;
    await Promise.all(tallies.map((tally) => store.count('parking-permit', 'application', tally)));
    const slices = new Set(tallies.map((tally) => countedMark(tallyKey(tally)).slice));
    expect(slices.size).toBeGreaterThan(100); // 200 tallies over 256 slices
    const table = `figures-${tables}`;
    const items = await Promise.all([...slices].map((slice) => client.send(new GetItemCommand({ TableName: table, Key: { reference: { S: performanceSliceKey('parking-permit', 'application', day, slice) } } }))));
    expect(Math.max(...items.map((item) => item.Item?.counted?.SS?.length ?? 0))).toBeLessThan(10);
  });

  it.each(['dynalite', 'in memory'])('is read as the sum of its slices once rolled up, and rolling up again changes nothing (%s)', async (kind) => {
    const store = await aStore(kind);
    for (const tally of tallies) await store.count('parking-permit', 'application', tally);
    if (kind === 'dynalite') expect(await store.days('parking-permit', 'application', day, day)).toEqual([]); // not rolled up yet
    expect(await store.rollUp('parking-permit', 'application', day, '2026-11-23T10:00:00.000Z')).toBe(true);
    expect(await store.rollUp('parking-permit', 'application', day, '2026-11-23T10:15:00.000Z')).toBe(true);
    const [figures] = await store.days('parking-permit', 'application', day, day);
    expect([figures.decided, figures.withinStandard]).toEqual([200, 150]);
    expect(figures.workingDays).toEqual(Object.fromEntries(Array.from({ length: 7 }, (_, d) => [String(d), tallies.filter((t) => t.kind === 'decided' && t.workingDays === d).length])));
  });

  it('keeps the later sum when an earlier one arrives after it', async () => {
    const store = await aStore('dynalite');
    await store.count('parking-permit', 'application', tallies[0]);
    expect(await store.rollUp('parking-permit', 'application', day, '2026-11-23T10:15:00.000Z')).toBe(true);
    await store.count('parking-permit', 'application', tallies[1]);
    // a run that read the slices before the one above wrote: its sum is not kept
    expect(await store.rollUp('parking-permit', 'application', day, '2026-11-23T10:00:00.000Z')).toBe(false);
    expect((await store.days('parking-permit', 'application', day, day))[0].decided).toBe(1);
  });
});
