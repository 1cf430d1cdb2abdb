// The case store and the decision claim on dynalite: real conditional writes, real conflicts.
// The store's promises are checked against both implementations of the port, so the in-memory
// store the unit tests use keeps the same conditions as DynamoDB.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo, ensureCaseTable } from '../local/dynamodb';
import { DynamoCaseStore } from '../lambdas/adapters/aws/dynamodb-case-store';
import { DynamoIdempotencyStore } from '../lambdas/adapters/aws/dynamodb-idempotency';
import { CountedMetrics, InMemoryCaseStore, RecordedJourneys, RecordedLog, RecordedMilestones } from '../lambdas/adapters/memory/in-memory';
import { decide } from '../lambdas/domain/casework/decisions';
import { answerInformation } from '../lambdas/domain/journeys/information';
import { submitCase } from '../lambdas/domain/journeys/submissions';
import { validateSubmission } from '../lambdas/domain/services/application-form';
import { CaseAlreadyExists, CaseConflict, PublicError, TokenNotUsable } from '../lambdas/domain/shared/errors';
import { newReference } from '../lambdas/domain/shared/reference';
import type { CaseRecord } from '../lambdas/domain/cases/case';
import type { CaseChange } from '../lambdas/domain/cases/case-change';
import type { CaseStore } from '../lambdas/domain/ports';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let client: DynamoDBClient;
let store: DynamoCaseStore;
const stores: Record<string, CaseStore> = {};

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  client = new DynamoDBClient({ endpoint: dynamo.endpoint });
  await ensureCaseTable(client, 'cases');
  store = new DynamoCaseStore(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), 'cases');
  stores.dynalite = store;
  stores['in memory'] = new InMemoryCaseStore();
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

function aCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  const at = new Date().toISOString();
  return {
    reference: newReference('application'),
    journey: 'application',
    service: 'parking-permit',
    language: 'en',
    stage: 'awaiting-decision',
    version: 1,
    createdAt: at,
    updatedAt: at,
    applicant: { name: 'A B', dateOfBirth: '1990-01-01', phone: '+447700900123' },
    details: {},
    history: [{ at, stage: 'received' }],
    audit: [],
    notifications: [],
    awaiting: 'decision',
    taskToken: 'token-1',
    queue: 'awaiting-decision',
    queuedAt: at,
    ...overrides,
  };
}

describe.each(['dynalite', 'in memory'])('the case store (%s)', (name) => {
  let store: CaseStore;
  beforeAll(() => {
    store = stores[name];
  });

  it('never overwrites an existing case when creating one', async () => {
    const record = aCase();
    await store.create(record);
    await expect(store.create({ ...record, stage: 'approved' })).rejects.toBeInstanceOf(CaseAlreadyExists);
    expect((await store.get(record.reference))?.stage).toBe('awaiting-decision');
  });

  it('applies concurrent changes one after the other, each on the version it read', async () => {
    const record = aCase();
    await store.create(record);
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.update(record.reference, () => ({ append: { audit: [{ at: 'now', actor: `worker-${i}`, action: 'noted' }] } }))));
    const after = await store.get(record.reference);
    expect(after?.version).toBe(6);
    expect(after?.audit.map((a) => a.actor).sort()).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4']);
  });

  it('keeps the audit trail and the history append-only, and the stage for the transitions module', async () => {
    const record = aCase({ audit: [{ at: 'then', actor: 'cw-1', action: 'decided:refuse', reason: 'no' }] });
    await store.create(record);
    // Past the types, as a careless caller might cast: the store still refuses.
    await expect(store.update(record.reference, () => ({ set: { audit: [] } }) as unknown as CaseChange)).rejects.toThrow(/only be appended/);
    await expect(store.update(record.reference, () => ({ remove: ['history'] }) as unknown as CaseChange)).rejects.toThrow(/only be appended/);
    await expect(store.update(record.reference, () => ({ set: { stage: 'approved' } }) as unknown as CaseChange)).rejects.toThrow(/transitions module/);
    await expect(store.update(record.reference, () => ({ move: { stage: 'approved', at: 'now' } }) as unknown as CaseChange)).rejects.toThrow(/transitions module/);
    await expect(store.update(record.reference, () => ({ remove: ['reference'] }) as unknown as CaseChange)).rejects.toThrow(/fixed/);
    await store.update(record.reference, () => ({ append: { audit: [{ at: 'now', actor: 'cw-2', action: 'noted' }] } }));
    const after = await store.get(record.reference);
    expect(after?.audit.map((a) => a.actor)).toEqual(['cw-1', 'cw-2']);
    expect(after?.stage).toBe('awaiting-decision');
  });

  it('finds no case where an item is not one (an idempotency key beside the cases)', async () => {
    const reference = newReference('application');
    await store.create({ reference } as unknown as CaseRecord);
    await expect(store.require(reference)).rejects.toMatchObject({ name: 'CaseNotFound' });
  });

  it('reads a queue oldest first, and pages through it', async () => {
    const older = aCase({ queue: 'senior-review', queuedAt: '2026-01-01T09:00:00.000Z' });
    const newer = aCase({ queue: 'senior-review', queuedAt: '2026-01-02T09:00:00.000Z' });
    await store.create(newer);
    await store.create(older);
    const first = await store.queue('senior-review', 1);
    expect(first.cases.map((c) => c.reference)).toEqual([older.reference]);
    // the case the page stopped at is decided meanwhile: the next page still follows on
    await store.update(older.reference, () => ({ remove: ['queue', 'queuedAt'] }));
    const second = await store.queue('senior-review', 1, first.next);
    expect(second.cases.map((c) => c.reference)).toEqual([newer.reference]);
    expect(JSON.stringify(first)).not.toContain('+447700900123');
    await expect(store.queue('senior-review', 1, 'not-a-cursor')).rejects.toMatchObject({ status: 400 });
  });

  it('starts an update from the case the caller has, and from the stored case when that one is out of date', async () => {
    const record = aCase();
    await store.create(record);
    const read = await store.require(record.reference);
    const seen: number[] = [];
    const first = await store.update(record.reference, (current) => (seen.push(current.version), { set: { expectedBy: '2029-01-01' } }), { from: read });
    expect([seen, first.record.version]).toEqual([[read.version], read.version + 1]);
    // `read` is one version behind now: that write loses its race, and the case is read again
    seen.length = 0;
    const second = await store.update(record.reference, (current) => (seen.push(current.version), { set: { expectedBy: '2029-02-01' } }), { from: read });
    expect(seen).toEqual([read.version, read.version + 1]);
    expect(second.record).toMatchObject({ version: read.version + 2, expectedBy: '2029-02-01' });
  });

  it('refuses to start an update from another case', async () => {
    const one = aCase();
    const other = aCase();
    await store.create(one);
    await store.create(other);
    const otherRead = await store.require(other.reference);
    await expect(store.update(one.reference, () => ({ set: { expectedBy: '2029-03-01' } }), { from: otherRead })).rejects.toThrow(/was given/);
    expect((await store.require(other.reference)).version).toBe(otherRead.version);
  });
});

describe('the DynamoDB case store', () => {
  it('gives up with a CaseConflict when another writer keeps changing the case under it', async () => {
    const record = aCase();
    await store.create(record);
    // Before each of the loser's writes, another writer changes the case.
    const documents = DynamoDBDocumentClient.from(client);
    const interfering = {
      send: async (command: unknown) => {
        if (command instanceof UpdateCommand) await store.update(record.reference, (current) => ({ set: { expectedBy: `2029-01-0${current.version}` } }));
        return documents.send(command as UpdateCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const loser = new DynamoCaseStore(interfering, 'cases');
    await expect(loser.update(record.reference, () => ({ set: { expectedBy: '2030-01-01' } }), { attempts: 3 })).rejects.toBeInstanceOf(CaseConflict);
    const after = await store.get(record.reference);
    expect(after?.version).toBe(4);
    expect(after?.expectedBy).not.toBe('2030-01-01');
  });
});

const clock = () => new Date('2026-11-23T10:00:00Z');
/** A journey engine whose answer does what the test says (records it, or fails). */
const journeys = (answer: (taskToken: string) => Promise<void>) => ({ answer: (taskToken: string) => answer(taskToken) });

describe('a decision', () => {
  it('hands the decision to the journey exactly once, however many caseworkers press the button', async () => {
    const record = aCase();
    await store.create(record);
    const sent: string[] = [];
    const deps = { store, clock, journeys: journeys(async (token) => void sent.push(token)) };
    const results = await Promise.allSettled(
      ['one', 'two', 'three'].map((id) => decide(deps, record.reference, { id, senior: false }, { outcome: 'approve', reason: '' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    }
    expect(sent).toEqual(['token-1']);
    const after = await store.get(record.reference);
    expect(after?.taskToken).toBeUndefined();
    expect(after?.audit.filter((a) => a.action === 'decided:approve')).toHaveLength(1);
  });

  it('tells the caseworker when the journey stopped waiting, and records it', async () => {
    const record = aCase();
    await store.create(record);
    const deps = { store, clock, journeys: journeys(async () => Promise.reject(new TokenNotUsable('timed-out'))) };
    await expect(decide(deps, record.reference, { id: 'cw', senior: false }, { outcome: 'refuse', reason: 'no' })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/passed its service standard/),
    });
    expect((await store.get(record.reference))?.audit.map((a) => a.action)).toEqual(['decided:refuse', 'decision-not-applied']);
  });

  it('gives the case back to the queue when the journey cannot be reached', async () => {
    const record = aCase();
    await store.create(record);
    const deps = { store, clock, journeys: journeys(async () => Promise.reject(new Error('ECONNREFUSED'))) };
    await expect(decide(deps, record.reference, { id: 'cw', senior: false }, { outcome: 'approve', reason: '' })).rejects.toBeInstanceOf(PublicError);
    const after = await store.get(record.reference);
    expect(after).toMatchObject({ taskToken: 'token-1', awaiting: 'decision', queue: 'awaiting-decision' });
  });

  it('keeps escalated cases for senior caseworkers', async () => {
    const record = aCase({ queue: 'senior-review', stage: 'escalated' });
    await store.create(record);
    const deps = { store, clock, journeys: journeys(async () => undefined) };
    await expect(decide(deps, record.reference, { id: 'cw', senior: false }, { outcome: 'approve', reason: '' })).rejects.toMatchObject({ status: 403 });
    await expect(decide(deps, record.reference, { id: 'senior', senior: true }, { outcome: 'approve', reason: '' })).resolves.toMatchObject({ by: 'senior' });
  });
});

describe('waits handed back to a journey', () => {
  it('does not give a wait back when the case moved on while the journey was being told', async () => {
    const record = aCase();
    await store.create(record);
    const deps = {
      store,
      clock,
      // the call reached the journey, which recorded the outcome, but the answer got lost
      journeys: journeys(async () => {
        await DynamoDBDocumentClient.from(client).send(
          new UpdateCommand({ TableName: 'cases', Key: { reference: record.reference }, UpdateExpression: 'SET stage = :s, version = version + :one', ExpressionAttributeValues: { ':s': 'approved', ':one': 1 } }),
        );
        throw new Error('socket hang up');
      }),
    };
    await expect(decide(deps, record.reference, { id: 'cw', senior: false }, { outcome: 'approve', reason: '' })).rejects.toMatchObject({ status: 503 });
    expect(await store.get(record.reference)).toMatchObject({ stage: 'approved' });
    expect((await store.get(record.reference))?.taskToken).toBeUndefined();
  });

  it('keeps a citizen\'s answer on the case even when it comes too late', async () => {
    const record = aCase({ stage: 'information-needed', awaiting: 'information', queue: undefined });
    await store.create(record);
    const deps = { store, clock, journeys: journeys(async () => Promise.reject(new TokenNotUsable('timed-out'))) };
    await expect(answerInformation(deps, record.reference, 'Here is my V5C.')).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/kept your answer/) });
    expect((await store.get(record.reference))?.informationResponses).toEqual([{ at: expect.any(String), text: 'Here is my V5C.' }]);
  });
});

describe('a submission whose journey cannot be started', () => {
  it('is put on hold where the team sees it, and a retry with the same key starts it and says "received"', async () => {
    const milestones = new RecordedMilestones();
    const engine = new RecordedJourneys();
    engine.failing = true;
    const deps = {
      store,
      idempotency: new DynamoIdempotencyStore(DynamoDBDocumentClient.from(client), 'cases'),
      clock,
      journeys: engine,
      milestones,
      metrics: new CountedMetrics(),
      log: new RecordedLog(),
    };
    const announced = () => milestones.published.map((event) => `${event.reference} ${event.milestone}`);
    const submission = validateSubmission(
      { service: 'parking-permit', applicant: { name: 'A B', dateOfBirth: '1990-01-01', phone: '+447700900123' }, details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High St', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant' } },
      '2026-11-23',
    );
    const failed = await submitCase(deps, 'application', submission, 'key-1', clock()).catch((error) => error);
    expect(failed).toMatchObject({ status: 503, extra: { reference: expect.any(String) } });
    const reference = failed.extra.reference;
    expect(await store.get(reference)).toMatchObject({ stage: 'on-hold', queue: 'on-hold', history: [{ stage: 'received' }, { stage: 'on-hold' }] });
    expect(announced()).toEqual([`${reference} on-hold`]);
    expect(deps.metrics.counts.CasesOnHold).toBe(1);

    engine.failing = false;
    const retried = await submitCase(deps, 'application', submission, 'key-1', clock());
    expect(retried).toMatchObject({ replay: true, record: { reference } });
    expect(engine.started).toEqual([{ reference, journey: 'application', service: 'parking-permit' }]);
    expect(announced()).toEqual([`${reference} on-hold`, `${reference} received`]);
  });
});

