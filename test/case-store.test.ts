// The case store and the decision claim on dynalite: real conditional writes, real conflicts.
import { DynamoDBClient, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo, ensureCaseTable } from '../local/dynamodb';
import { CaseStore } from '../lambdas/domain/case-store';
import { decide } from '../lambdas/domain/decisions';
import { TokenNotUsable } from '../lambdas/domain/callbacks';
import { answerInformation } from '../lambdas/domain/information';
import { submitCase } from '../lambdas/domain/submissions';
import { IdempotencyStore } from '../lambdas/domain/idempotency';
import { validateSubmission } from '../lambdas/domain/application-form';
import { CaseConflict, PublicError } from '../lambdas/domain/errors';
import { newReference } from '../lambdas/domain/reference';
import type { CaseRecord } from '../lambdas/domain/case';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let client: DynamoDBClient;
let store: CaseStore;

beforeAll(async () => {
  dynamo = await startDynamo(undefined);
  client = new DynamoDBClient({ endpoint: dynamo.endpoint });
  await ensureCaseTable(client, 'cases');
  store = new CaseStore(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), 'cases');
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

describe('the case store', () => {
  it('never overwrites an existing case when creating one', async () => {
    const record = aCase();
    await store.create(record);
    await expect(store.create({ ...record, stage: 'approved' })).rejects.toBeInstanceOf(ConditionalCheckFailedException);
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
    const loser = new CaseStore(interfering, 'cases');
    await expect(loser.update(record.reference, () => ({ set: { expectedBy: '2030-01-01' } }), 3)).rejects.toBeInstanceOf(CaseConflict);
    const after = await store.get(record.reference);
    expect(after?.version).toBe(4);
    expect(after?.expectedBy).not.toBe('2030-01-01');
  });

  it('keeps the audit trail and the history append-only', async () => {
    const record = aCase({ audit: [{ at: 'then', actor: 'cw-1', action: 'decided:refuse', reason: 'no' }] });
    await store.create(record);
    await expect(store.update(record.reference, () => ({ set: { audit: [] } }))).rejects.toThrow(/only be appended/);
    await expect(store.update(record.reference, () => ({ remove: ['history'] }))).rejects.toThrow(/only be appended/);
    await store.update(record.reference, () => ({ append: { audit: [{ at: 'now', actor: 'cw-2', action: 'noted' }] } }));
    expect((await store.get(record.reference))?.audit.map((a) => a.actor)).toEqual(['cw-1', 'cw-2']);
  });

  it('reads a queue oldest first from the index, and pages through it', async () => {
    const older = aCase({ queue: 'senior-review', queuedAt: '2026-01-01T09:00:00.000Z' });
    const newer = aCase({ queue: 'senior-review', queuedAt: '2026-01-02T09:00:00.000Z' });
    await store.create(newer);
    await store.create(older);
    const first = await store.queue('senior-review', 1);
    expect(first.cases.map((c) => c.reference)).toEqual([older.reference]);
    const second = await store.queue('senior-review', 1, first.next);
    expect(second.cases.map((c) => c.reference)).toEqual([newer.reference]);
    expect(JSON.stringify(first)).not.toContain('+447700900123');
  });
});

describe('a decision', () => {
  const now = () => new Date('2026-11-23T10:00:00Z');

  it('hands the decision to the journey exactly once, however many caseworkers press the button', async () => {
    const record = aCase();
    await store.create(record);
    const sent: string[] = [];
    const deps = { store, now, sendTaskSuccess: async (token: string) => void sent.push(token) };
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
    const deps = { store, now, sendTaskSuccess: async () => Promise.reject(new TokenNotUsable('timed-out')) };
    await expect(decide(deps, record.reference, { id: 'cw', senior: false }, { outcome: 'refuse', reason: 'no' })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/passed its service standard/),
    });
    expect((await store.get(record.reference))?.audit.map((a) => a.action)).toEqual(['decided:refuse', 'decision-not-applied']);
  });

  it('gives the case back to the queue when the journey cannot be reached', async () => {
    const record = aCase();
    await store.create(record);
    const deps = { store, now, sendTaskSuccess: async () => Promise.reject(new Error('ECONNREFUSED')) };
    await expect(decide(deps, record.reference, { id: 'cw', senior: false }, { outcome: 'approve', reason: '' })).rejects.toBeInstanceOf(PublicError);
    const after = await store.get(record.reference);
    expect(after).toMatchObject({ taskToken: 'token-1', awaiting: 'decision', queue: 'awaiting-decision' });
  });

  it('keeps escalated cases for senior caseworkers', async () => {
    const record = aCase({ queue: 'senior-review', stage: 'escalated' });
    await store.create(record);
    const deps = { store, now, sendTaskSuccess: async () => undefined };
    await expect(decide(deps, record.reference, { id: 'cw', senior: false }, { outcome: 'approve', reason: '' })).rejects.toMatchObject({ status: 403 });
    await expect(decide(deps, record.reference, { id: 'senior', senior: true }, { outcome: 'approve', reason: '' })).resolves.toMatchObject({ by: 'senior' });
  });
});

describe('waits handed back to a journey', () => {
  const now = () => new Date('2026-11-23T10:00:00Z');

  it('does not give a wait back when the case moved on while the journey was being told', async () => {
    const record = aCase();
    await store.create(record);
    const deps = {
      store,
      now,
      // the call reached the journey, which recorded the outcome, but the answer got lost
      sendTaskSuccess: async () => {
        await store.update(record.reference, () => ({ set: { stage: 'approved' } }));
        throw new Error('socket hang up');
      },
    };
    await expect(decide(deps, record.reference, { id: 'cw', senior: false }, { outcome: 'approve', reason: '' })).rejects.toMatchObject({ status: 503 });
    expect(await store.get(record.reference)).toMatchObject({ stage: 'approved' });
    expect((await store.get(record.reference))?.taskToken).toBeUndefined();
  });

  it('keeps a citizen\'s answer on the case even when it comes too late', async () => {
    const record = aCase({ stage: 'information-needed', awaiting: 'information', queue: undefined });
    await store.create(record);
    const deps = { store, now, sendTaskSuccess: async () => Promise.reject(new TokenNotUsable('timed-out')) };
    await expect(answerInformation(deps, record.reference, 'Here is my V5C.')).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/kept your answer/) });
    expect((await store.get(record.reference))?.informationResponses).toEqual([{ at: expect.any(String), text: 'Here is my V5C.' }]);
  });
});

describe('a submission whose journey cannot be started', () => {
  it('is put on hold where the team sees it, and a retry with the same key starts it and says "received"', async () => {
    const announced: string[] = [];
    let sfnDown = true;
    const deps = {
      store,
      idempotency: new IdempotencyStore(DynamoDBDocumentClient.from(client), 'cases'),
      now: new Date('2026-11-23T10:00:00Z'),
      startJourney: async () => {
        if (sfnDown) throw new Error('ServiceUnavailable');
      },
      announce: async (created: CaseRecord) => void announced.push(created.reference),
    };
    const submission = validateSubmission(
      { service: 'parking-permit', applicant: { name: 'A B', dateOfBirth: '1990-01-01', phone: '+447700900123' }, details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High St', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant' } },
      '2026-11-23',
    );
    const failed = await submitCase(deps, 'application', submission, 'key-1').catch((error) => error);
    expect(failed).toMatchObject({ status: 503, extra: { reference: expect.any(String) } });
    const reference = failed.extra.reference;
    expect(await store.get(reference)).toMatchObject({ stage: 'on-hold', queue: 'on-hold' });
    expect(announced).toEqual([]);

    sfnDown = false;
    const retried = await submitCase(deps, 'application', submission, 'key-1');
    expect(retried).toMatchObject({ replay: true, record: { reference } });
    expect(announced).toEqual([reference]);
  });
});

