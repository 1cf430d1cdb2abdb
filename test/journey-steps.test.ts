// The journey steps' rules on the in-memory ports: fast, no dynalite, no state machine. What each
// step does to the case, the milestone it announces, and that a retried step writes nothing twice.
// (The same steps run end to end on the real stand-ins in application-journey.test.ts.)
import { CountedMetrics, InMemoryCaseStore, InMemoryPerformanceStore, RecordedLog, RecordedMilestones, TestClock } from '../lambdas/adapters/memory/in-memory';
import { askForInformation, checkCase, putOnHold, queueForDecision, followPermits, recordOutcome, resumeReview, type CountingStepDeps } from '../lambdas/domain/journeys/journey-steps';
import { receivedCase } from '../lambdas/domain/cases/transitions';
import { newReference, type Journey } from '../lambdas/domain/shared/reference';
import type { CaseRecord } from '../lambdas/domain/cases/case';
import { caseWrite, type CaseChange } from '../lambdas/domain/cases/case-change';

// A Monday morning in term time: no bank holiday near.
const MONDAY = new Date('2026-11-23T10:00:00Z');

function world() {
  const clock = new TestClock(MONDAY);
  const store = new InMemoryCaseStore(clock.now);
  const milestones = new RecordedMilestones();
  const metrics = new CountedMetrics();
  const deps: CountingStepDeps = { store, milestones, metrics, log: new RecordedLog(), clock: clock.now, performance: new InMemoryPerformanceStore() };
  const milestoneNames = () => milestones.published.map((event) => event.milestone);
  return { clock, store, milestones, metrics, deps, milestoneNames };
}

async function aCase(store: InMemoryCaseStore, journey: Journey = 'application', details: Record<string, string> = {}): Promise<string> {
  const reference = newReference(journey);
  const record = receivedCase(
    {
      reference,
      journey,
      service: 'parking-permit',
      language: 'en',
      applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123' },
      details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High Street', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant', ...details },
    },
    MONDAY,
  );
  await store.create(record);
  return reference;
}

describe('checking a case', () => {
  it('records the checks and the promised date, moves to "checks complete" and announces it', async () => {
    const { store, deps, milestoneNames } = world();
    const reference = await aCase(store);
    const standard = await checkCase(deps, reference);
    const record = await store.require(reference);
    expect(record).toMatchObject({ stage: 'checks-complete', checks: { complex: false, flags: [] }, expectedBy: standard.expectedBy });
    expect(record.history.map((entry) => entry.stage)).toEqual(['received', 'checks-complete']);
    expect(standard).toMatchObject({ complex: false, decisionWorkingDays: 10 });
    expect(standard.decisionSeconds).toBeGreaterThan(10 * 86_400);
    expect(milestoneNames()).toEqual(['checks-complete']);
  });

  it('flags a vehicle kept by someone else as complex, with the longer standard', async () => {
    const { store, deps } = world();
    const reference = await aCase(store, 'application', { vehicleKeeper: 'someone-else' });
    const standard = await checkCase(deps, reference);
    expect(standard.complex).toBe(true);
    expect((await store.require(reference)).checks?.flags).toContain('vehicle-not-registered-to-applicant');
    expect(standard.decisionWorkingDays).toBeGreaterThan(10);
  });

  it('writes nothing twice when retried after its write landed, but still announces the milestone', async () => {
    const { store, deps, milestones } = world();
    const reference = await aCase(store);
    const first = await checkCase(deps, reference);
    const second = await checkCase(deps, reference);
    expect(second).toEqual(first);
    expect((await store.require(reference)).history).toHaveLength(2);
    // the same event both times, so the notifier sends it once
    expect(new Set(milestones.published.map((event) => event.event)).size).toBe(1);
  });
});

describe('waiting for a decision', () => {
  it('queues the case with its task token, and renews only the token when the wait is entered again', async () => {
    const { store, deps, milestoneNames } = world();
    const reference = await aCase(store);
    await queueForDecision(deps, { reference, taskToken: 'token-1', escalated: false, standard: { decisionWorkingDays: 10 } });
    expect(await store.require(reference)).toMatchObject({ stage: 'awaiting-decision', awaiting: 'decision', taskToken: 'token-1', queue: 'awaiting-decision' });
    await queueForDecision(deps, { reference, taskToken: 'token-2', escalated: false, standard: { decisionWorkingDays: 10 } });
    const record = await store.require(reference);
    expect(record.taskToken).toBe('token-2');
    expect(record.history.filter((entry) => entry.stage === 'awaiting-decision')).toHaveLength(1);
    expect(milestoneNames()).toEqual(['awaiting-decision']);
  });

  it('escalates to the senior queue with a reason and a new date, tells the citizen, and counts it once', async () => {
    const { store, deps, metrics, milestoneNames } = world();
    const reference = await aCase(store);
    await queueForDecision(deps, { reference, taskToken: 'token-1', escalated: false, standard: { decisionWorkingDays: 10 } });
    const escalation = { reference, taskToken: 'token-2', escalated: true, standard: { decisionWorkingDays: 10 } };
    await queueForDecision(deps, escalation);
    await queueForDecision(deps, escalation); // a retry
    const record = await store.require(reference);
    expect(record).toMatchObject({ stage: 'escalated', queue: 'senior-review', delay: { reason: 'service-standard-passed', days: 10 } });
    expect(record.expectedBy).toBe(record.delay?.newDate);
    expect(record.audit.filter((entry) => entry.action === 'escalated')).toHaveLength(1);
    expect(milestoneNames()).toEqual(['awaiting-decision', 'delayed', 'delayed']);
    expect(metrics.counts.CasesEscalated).toBe(1);
  });
});

describe('a request for information', () => {
  it('takes the case out of the queue, shows the caseworker\'s words and a date to answer by', async () => {
    const { store, deps, milestoneNames } = world();
    const reference = await aCase(store);
    await queueForDecision(deps, { reference, taskToken: 'token-1', escalated: false, standard: { decisionWorkingDays: 10 } });
    await askForInformation(deps, { reference, taskToken: 'token-2', request: { reason: 'Send a photo of your V5C.', by: 'cw-1' } });
    const record = await store.require(reference);
    expect(record).toMatchObject({ stage: 'information-needed', awaiting: 'information', taskToken: 'token-2', informationRequest: { reason: 'Send a photo of your V5C.', by: 'cw-1' } });
    expect(record.queue).toBeUndefined();
    // 15 working days from Monday 23 November 2026
    expect(record.expectedBy).toBe('2026-12-14');
    expect(milestoneNames()).toEqual(['awaiting-decision', 'information-needed']);
  });

  it('returns the case to a caseworker with a fresh standard, whether or not the citizen answered, once', async () => {
    const { store, deps, clock } = world();
    const reference = await aCase(store);
    await askForInformation(deps, { reference, taskToken: 'token-1', request: { reason: 'Send a photo.', by: 'cw-1' } });
    await store.update(reference, (): CaseChange => ({ append: { audit: [{ at: MONDAY.toISOString(), actor: 'cw-1', action: 'decided:request-information' }] } }));
    clock.advance(7 * 86_400_000);
    const standard = await resumeReview(deps, reference, false);
    await resumeReview(deps, reference, false); // a retry
    const record = await store.require(reference);
    expect(record.audit.filter((entry) => entry.action === 'information-not-received')).toHaveLength(1);
    expect(record.awaiting).toBeUndefined();
    expect(record.taskToken).toBeUndefined();
    expect(record.expectedBy).toBe(standard.expectedBy);
    expect(standard.expectedBy > '2026-12-07').toBe(true);
  });
});

describe('an outcome', () => {
  it('approves with an expiry date and a renewal reminder waiting in its queue', async () => {
    const { store, deps, milestoneNames } = world();
    const reference = await aCase(store);
    await recordOutcome(deps, reference, { outcome: 'approve', reason: '', by: 'cw-1', at: MONDAY.toISOString() });
    const record = await store.require(reference);
    expect(record).toMatchObject({ stage: 'approved', expiresOn: '2027-11-23', queue: 'renewal-due' });
    expect(record.queuedAt! < '2027-11-23').toBe(true);
    expect(milestoneNames()).toEqual(['approved']);
  });

  it('refuses with the date an appeal must be made by; an appeal\'s outcome is final', async () => {
    const { store, deps } = world();
    const refused = await aCase(store);
    await recordOutcome(deps, refused, { outcome: 'refuse', reason: 'Outside the zone.', by: 'cw-1', at: MONDAY.toISOString() });
    expect(await store.require(refused)).toMatchObject({ stage: 'refused', appealBy: '2026-12-21' });
    const appeal = await aCase(store, 'appeal');
    await recordOutcome(deps, appeal, { outcome: 'refuse', reason: 'The decision stands.', by: 'cw-2', at: MONDAY.toISOString() });
    const record: CaseRecord = await store.require(appeal);
    expect(record.stage).toBe('refused');
    expect(record.appealBy).toBeUndefined();
  });
});

describe('on hold', () => {
  it('puts the case on hold visibly, names only the error, and counts it once for the alarm', async () => {
    const { store, deps, metrics, milestoneNames } = world();
    const reference = await aCase(store);
    await putOnHold(deps, reference, { Error: 'Lambda.ServiceException' });
    await putOnHold(deps, reference, { Error: 'Lambda.ServiceException' }); // a retry after the write landed
    const record = await store.require(reference);
    expect(record).toMatchObject({ stage: 'on-hold', queue: 'on-hold' });
    expect(record.audit.at(-1)).toMatchObject({ action: 'put-on-hold', reason: 'A journey step failed: Lambda.ServiceException' });
    expect(metrics.counts.CasesOnHold).toBe(1);
    expect(record.history.filter((entry) => entry.stage === 'on-hold')).toHaveLength(1);
    expect(milestoneNames()).toEqual(['on-hold', 'on-hold']);
  });
});

describe('a permit\'s life', () => {
  it('moves only cases whose reminder day has come to "renewal due", once', async () => {
    const { store, deps, milestoneNames } = world();
    const due = await aCase(store);
    const later = await aCase(store);
    await recordOutcome(deps, due, { outcome: 'approve', reason: '', by: 'cw-1', at: MONDAY.toISOString() });
    await recordOutcome(deps, later, { outcome: 'approve', reason: '', by: 'cw-1', at: MONDAY.toISOString() });
    await store.update(later, (): CaseChange => ({ set: { queuedAt: '2030-01-01T09:00:00.000Z' } }));
    expect(await followPermits(deps, '2027-11-01T00:00:00.000Z')).toEqual({ reminded: 1, expired: 0, failed: 0 });
    expect(await followPermits(deps, '2027-11-01T00:00:00.000Z')).toEqual({ reminded: 0, expired: 0, failed: 0 });
    expect((await store.require(due)).stage).toBe('renewal-due');
    expect((await store.require(later)).stage).toBe('approved');
    expect(milestoneNames()).toEqual(['approved', 'approved', 'renewal-due']);
  });

  it('keeps a reminded permit in the renewal-due queue until it runs out, then expires it, takes it out of the queue and tells the citizen, once', async () => {
    const { store, deps, milestoneNames } = world();
    const reference = await aCase(store);
    await recordOutcome(deps, reference, { outcome: 'approve', reason: '', by: 'cw-1', at: MONDAY.toISOString() });
    const { expiresOn } = await store.require(reference);
    expect(expiresOn).toBe('2027-11-23');
    await followPermits(deps, '2027-11-01T00:00:00.000Z');
    // waiting for its end, keyed by the moment after its last day
    expect(await store.require(reference)).toMatchObject({ stage: 'renewal-due', queue: 'renewal-due', queuedAt: '2027-11-24T00:00:00.000Z' });
    expect(await followPermits(deps, '2027-11-23T23:00:00.000Z')).toEqual({ reminded: 0, expired: 0, failed: 0 });
    expect(await followPermits(deps, '2027-11-24T00:00:00.000Z')).toEqual({ reminded: 0, expired: 1, failed: 0 });
    expect(await followPermits(deps, '2028-11-24T00:00:00.000Z')).toEqual({ reminded: 0, expired: 0, failed: 0 });
    const record = await store.require(reference);
    expect(record.stage).toBe('expired');
    expect(record.queue).toBeUndefined();
    expect(record.history.map((entry) => entry.stage)).toEqual(['received', 'approved', 'renewal-due', 'expired']);
    expect(milestoneNames()).toEqual(['approved', 'renewal-due', 'expired']);
  });

  it('expires a permit the job first reaches after its end, without a reminder about a date gone by', async () => {
    const { store, deps, milestoneNames } = world();
    const reference = await aCase(store);
    await recordOutcome(deps, reference, { outcome: 'approve', reason: '', by: 'cw-1', at: MONDAY.toISOString() });
    expect(await followPermits(deps, '2028-12-03T09:00:00.000Z')).toEqual({ reminded: 0, expired: 1, failed: 0 });
    expect((await store.require(reference)).stage).toBe('expired');
    expect(milestoneNames()).toEqual(['approved', 'expired']);
  });
});

describe('a milestone that cannot be published', () => {
  it('never stops the step; it is counted and logged for the alarm', async () => {
    const { store, deps, milestones, metrics } = world();
    milestones.failing = true;
    const reference = await aCase(store);
    await checkCase(deps, reference);
    expect((await store.require(reference)).stage).toBe('checks-complete');
    expect(metrics.counts.MilestonesNotPublished).toBe(1);
  });
});

describe('the stage', () => {
  it('cannot be set by a change: only the transitions module moves a case', () => {
    // Refused twice: by the type check (npm test runs tsc over the tests) and by the store at run time.
    // @ts-expect-error: `stage` is not a changeable attribute
    const change: CaseChange = { set: { stage: 'approved' } };
    // @ts-expect-error: nor is the history
    const history: CaseChange = { remove: ['history'] };
    // @ts-expect-error: a plain object is not a StageMove
    const move: CaseChange = { move: { stage: 'approved', at: MONDAY.toISOString() } };
    expect(() => caseWrite(change)).toThrow(/transitions module/);
    expect(() => caseWrite(history)).toThrow(/only be appended/);
    expect(() => caseWrite(move)).toThrow(/transitions module/);
  });
});
