// Honest dates on the in-memory ports with a clock the tests move: the service-standard clock
// stopped while we wait for the citizen (the date moves by exactly the working days they took,
// and performance leaves them out), each case counted once towards the figures however often a
// step or a milestone is replayed, and what a citizen's status says from those figures.
import { CountedMetrics, InMemoryCaseStore, InMemoryPerformanceStore, InMemorySentTexts, RecordedLog, RecordedMilestones, RecordedSms, TestClock } from '../lambdas/adapters/memory/in-memory';
import { askForInformation, checkCase, putOnHold, queueForDecision, recordOutcome, resumeReview, type CountingStepDeps } from '../lambdas/domain/journeys/journey-steps';
import { recordDelay } from '../lambdas/domain/casework/delays';
import { receivedCase } from '../lambdas/domain/cases/transitions';
import { newReference, type Journey } from '../lambdas/domain/shared/reference';
import type { CaseChange } from '../lambdas/domain/cases/case-change';
import { PUBLIC_ATTRIBUTES, type PublicCaseFields } from '../lambdas/domain/cases/case';
import { statusWithDates } from '../lambdas/domain/citizens/honest-dates';
import { notify } from '../lambdas/domain/messages/notifications';
import { milestoneEvent } from '../lambdas/domain/cases/milestones';
import { decisionFacts, estimateFrom, percentile, type DayFigures, type JourneySummary } from '../lambdas/domain/performance/performance';
import { publishPositions } from '../lambdas/domain/performance/performance-tally';
import type { Language } from '../lambdas/domain/shared/language';

const DAY = 86_400_000;
// Monday 23 November 2026, 10:00 UK: no bank holiday until 25 December.
const MONDAY = new Date('2026-11-23T10:00:00Z');

function world() {
  const clock = new TestClock(MONDAY);
  const store = new InMemoryCaseStore(clock.now);
  const performance = new InMemoryPerformanceStore();
  const metrics = new CountedMetrics();
  const milestones = new RecordedMilestones();
  const log = new RecordedLog();
  const deps: CountingStepDeps = { store, milestones, metrics, log, clock: clock.now, performance };
  return { clock, store, performance, metrics, milestones, log, deps };
}

async function aCase(store: InMemoryCaseStore, now: Date, journey: Journey = 'application', language: Language = 'en'): Promise<string> {
  const reference = newReference(journey);
  await store.create(
    receivedCase(
      {
        reference,
        journey,
        service: 'parking-permit',
        language,
        applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123' },
        details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High Street', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant' },
      },
      now,
    ),
  );
  return reference;
}

/** A case taken through its journey's steps up to a caseworker's queue. */
async function queued(w: ReturnType<typeof world>, journey: Journey = 'application', language: Language = 'en'): Promise<string> {
  const reference = await aCase(w.store, w.clock.now(), journey, language);
  await checkCase(w.deps, reference);
  await queueForDecision(w.deps, { reference, taskToken: `token-${reference}`, escalated: false, standard: { decisionWorkingDays: 10 } });
  return reference;
}

async function askAndAnswer(w: ReturnType<typeof world>, reference: string, workingDaysLater: number): Promise<void> {
  await askForInformation(w.deps, { reference, taskToken: `info-${reference}`, request: { reason: 'Send a photo of your V5C.', by: 'cw-1' } });
  await w.store.update(reference, (): CaseChange => ({ append: { audit: [{ at: w.clock.now().toISOString(), actor: 'cw-1', action: 'decided:request-information' }] } }));
  // weekdays only in these tests: each working day is a calendar day
  w.clock.advance(workingDaysLater * DAY);
  await resumeReview(w.deps, reference, true);
}

const publicFields = async (store: InMemoryCaseStore, reference: string): Promise<PublicCaseFields> => {
  const record = await store.require(reference);
  return Object.fromEntries(PUBLIC_ATTRIBUTES.filter((name) => name in record).map((name) => [name, record[name]])) as unknown as PublicCaseFields;
};

describe('the service-standard clock', () => {
  it('starts at the checks: due by the standard\'s date, nothing paused', async () => {
    const w = world();
    const reference = await queued(w);
    // 10 working days from Monday 23 November 2026
    expect((await w.store.require(reference)).standard).toEqual({ dueOn: '2026-12-07', workingDays: 10, pausedWorkingDays: 0 });
  });

  it('stops while a request for information is open, and the date moves by exactly the working days the citizen took', async () => {
    const w = world();
    const reference = await queued(w);
    w.clock.advance(DAY); // Tuesday: the caseworker asks
    await askForInformation(w.deps, { reference, taskToken: 'info', request: { reason: 'Send a photo.', by: 'cw-1' } });
    const asked = await w.store.require(reference);
    expect(asked.standard).toMatchObject({ dueOn: '2026-12-07', pausedAt: '2026-11-24T10:00:00.000Z' });
    // while paused, the citizen's status says the clock has stopped
    expect(statusWithDates(await publicFields(w.store, reference), 'en', { summary: undefined, now: w.clock.now() }).serviceStandard).toMatchObject({ paused: true });

    await w.store.update(reference, (): CaseChange => ({ append: { audit: [{ at: w.clock.now().toISOString(), actor: 'cw-1', action: 'decided:request-information' }] } }));
    w.clock.advance(3 * DAY); // answered on Friday: Wednesday, Thursday and Friday taken
    const plan = await resumeReview(w.deps, reference, true);
    await resumeReview(w.deps, reference, true); // a retried step moves it once
    const resumed = await w.store.require(reference);
    expect(resumed.standard).toEqual({ dueOn: '2026-12-10', workingDays: 10, pausedWorkingDays: 3, lastPause: { workingDays: 3, from: '2026-12-07', to: '2026-12-10' } });
    expect(resumed.expectedBy).toBe('2026-12-10');
    expect(plan.expectedBy).toBe('2026-12-10');
    // the journey waits until 17:00 UK on the new date (GMT in December)
    expect(plan.decisionSeconds).toBe((Date.parse('2026-12-10T17:00:00Z') - w.clock.now().getTime()) / 1000);

    await queueForDecision(w.deps, { reference, taskToken: 'token-again', escalated: false, standard: { decisionWorkingDays: 10 } });
    const status = statusWithDates(await publicFields(w.store, reference), 'en', { summary: undefined, now: w.clock.now() });
    expect(status.serviceStandard?.text).toBe('We waited 3 working days for your answer, so the date we aim to decide by moved from 7 December 2026 to 10 December 2026.');
    expect(status.expectedBy).toBe('2026-12-10');
  });

  it('keeps its date when the journey is restarted from on hold: the standard runs from when the case came', async () => {
    const w = world();
    const reference = await queued(w);
    w.clock.advance(DAY);
    await askAndAnswer(w, reference, 3); // due moves to 10 December
    await putOnHold(w.deps, reference, { Error: 'States.TaskFailed' });
    w.clock.advance(DAY);
    const plan = await checkCase(w.deps, reference); // the restarted journey's first step
    expect((await w.store.require(reference)).standard).toMatchObject({ dueOn: '2026-12-10', pausedWorkingDays: 3 });
    expect(plan.expectedBy).toBe('2026-12-10');
  });

  it('says how far the answer moved the date only while that date is the one the citizen has', async () => {
    const w = world();
    const reference = await queued(w);
    w.clock.advance(DAY);
    await askAndAnswer(w, reference, 3);
    await queueForDecision(w.deps, { reference, taskToken: 'again', escalated: false, standard: { decisionWorkingDays: 10 } });
    expect(statusWithDates(await publicFields(w.store, reference), 'en', { now: w.clock.now() }).serviceStandard?.movedByWorkingDays).toBe(3);
    await recordDelay(w.deps, reference, { id: 'cw-1', senior: false }, { reason: 'We are waiting for the DVLA.', newDate: '2026-12-18' }, w.clock.now());
    const delayed = statusWithDates(await publicFields(w.store, reference), 'en', { now: w.clock.now() });
    expect(delayed.expectedBy).toBe('2026-12-18');
    expect(delayed.serviceStandard).toBeUndefined();
  });

  it('moves by nothing when the citizen answers the same day', async () => {
    const w = world();
    const reference = await queued(w);
    await askAndAnswer(w, reference, 0);
    expect((await w.store.require(reference)).standard).toMatchObject({ dueOn: '2026-12-07', pausedWorkingDays: 0 });
  });

  it('gives the senior caseworker their full time when the standard had passed before the request', async () => {
    const w = world();
    const reference = await queued(w);
    w.clock.advance(17 * DAY); // Thursday 10 December: past the 7 December standard
    await askAndAnswer(w, reference, 1);
    const plan = await resumeReview(w.deps, reference, true);
    expect(plan.decisionSeconds).toBe(1);
    // 5 escalated working days from Friday 11 December, 17:00
    expect(plan.escalatedSeconds).toBeGreaterThan(4 * DAY / 1000);
  });
});

describe('what a decided case counts towards', () => {
  it('counts working days from received to decided, leaving out the days we waited for the citizen', async () => {
    const w = world();
    const reference = await queued(w);
    w.clock.advance(DAY);
    await askAndAnswer(w, reference, 3); // Friday 27 November; due moves to 10 December
    w.clock.advance(13 * DAY); // Thursday 10 December
    await recordOutcome(w.deps, reference, { outcome: 'approve', reason: '', by: 'cw-1', at: w.clock.now().toISOString() });
    // 13 working days from 23 November to 10 December, 3 of them ours to wait
    expect((await w.store.require(reference)).decisionFacts).toEqual({ receivedOn: '2026-11-23', decidedOn: '2026-12-10', workingDays: 10, withinStandard: true });
  });

  it('is outside the standard when decided after its (moved) date', () => {
    const record = { createdAt: MONDAY.toISOString(), history: [], standard: { dueOn: '2026-12-10', workingDays: 10, pausedWorkingDays: 3 } };
    expect(decisionFacts(record, '2026-12-11T09:00:00Z')).toEqual({ receivedOn: '2026-11-23', decidedOn: '2026-12-11', workingDays: 11, withinStandard: false });
    // a case from before the clock was kept: its date, unless it was escalated
    expect(decisionFacts({ createdAt: MONDAY.toISOString(), history: [], expectedBy: '2026-12-07' }, '2026-12-04T09:00:00Z').withinStandard).toBe(true);
    expect(decisionFacts({ createdAt: MONDAY.toISOString(), history: [{ stage: 'escalated' }], expectedBy: '2026-12-21' }, '2026-12-14T09:00:00Z').withinStandard).toBe(false);
  });

  it('is counted once, however often the steps and the milestones are replayed', async () => {
    const w = world();
    const reference = await queued(w);
    await checkCase(w.deps, reference); // a replayed check
    w.clock.advance(2 * DAY);
    const decision = { outcome: 'approve', reason: '', by: 'cw-1', at: w.clock.now().toISOString() } as const;
    await recordOutcome(w.deps, reference, decision);
    w.clock.advance(DAY); // replayed the next day: still counted on the day it was decided
    await recordOutcome(w.deps, reference, decision);
    const sms = new RecordedSms();
    const record = await w.store.require(reference);
    const approved = milestoneEvent(record, 'approved', '3', decision.at);
    for (let delivery = 0; delivery < 3; delivery++) await notify({ ...w.deps, sms, sentTexts: new InMemorySentTexts() }, approved);
    expect(sms.sent).toHaveLength(1);

    const days = await w.performance.days('parking-permit', 'application', '2026-11-01', '2026-12-31');
    expect(days.map(({ day, received, decided, withinStandard, closed, textsSent }) => ({ day, received, decided, withinStandard, closed, textsSent }))).toEqual([
      { day: '2026-11-23', received: 1, decided: 0, withinStandard: 0, closed: 1, textsSent: 0 },
      // the text on the milestone's own day, however late it went
      { day: '2026-11-25', received: 0, decided: 1, withinStandard: 1, closed: 0, textsSent: 1 },
    ]);
    expect(days[1].workingDays).toEqual({ '2': 1 });
    // the metrics for the alarm: once, with the service's journey as dimensions
    expect(w.metrics.recorded).toEqual([
      { metric: 'WorkingDaysToDecision', value: 2, dimensions: { serviceCode: 'parking-permit', journey: 'application' } },
      { metric: 'DecidedWithinStandard', value: 1, dimensions: { serviceCode: 'parking-permit', journey: 'application' } },
    ]);
  });

  it('counts a text that failed before midnight and went after it once as sent and once as not sent first time, on its milestone\'s day', async () => {
    const w = world();
    const reference = await queued(w);
    const record = await w.store.require(reference);
    const event = milestoneEvent(record, 'received', '0', '2026-11-23T23:59:00.000Z');
    const sms = new RecordedSms();
    sms.failing = true;
    await expect(notify({ ...w.deps, sms, sentTexts: new InMemorySentTexts() }, event)).rejects.toThrow();
    w.clock.advance(14 * 3_600_000); // after midnight, the retry fails again, then goes
    await expect(notify({ ...w.deps, sms, sentTexts: new InMemorySentTexts() }, event)).rejects.toThrow();
    sms.failing = false;
    await notify({ ...w.deps, sms, sentTexts: new InMemorySentTexts() }, event);
    const days = await w.performance.days('parking-permit', 'application', '2026-11-01', '2026-12-31');
    expect(days.map(({ day, textsSent, textsFailed }) => ({ day, textsSent, textsFailed }))).toEqual([{ day: '2026-11-23', textsSent: 1, textsFailed: 1 }]);
  });

  it('never fails the journey when a figure cannot be written: it is logged and counted for the alarm', async () => {
    const w = world();
    const reference = await queued(w);
    w.performance.count = async () => {
      throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
    };
    await expect(recordOutcome(w.deps, reference, { outcome: 'refuse', reason: 'No.', by: 'cw-1', at: w.clock.now().toISOString() })).resolves.toMatchObject({ stage: 'refused' });
    expect(w.metrics.counts.FiguresNotCounted).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(w.log.lines)).not.toContain('Alex');
  });
});

describe('the estimate', () => {
  const histogram = (counts: Record<number, number>) => Object.fromEntries(Object.entries(counts).map(([days, count]) => [String(days), count]));

  it('takes the 50th and 90th percentiles by nearest rank', () => {
    expect(percentile(histogram({ 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1 }), 0.5)).toBe(5);
    expect(percentile(histogram({ 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1 }), 0.9)).toBe(9);
    expect(percentile(histogram({ 6: 20, 11: 9, 30: 1 }), 0.9)).toBe(11);
    expect(percentile(histogram({ 3: 1 }), 0.5)).toBe(3);
    expect(percentile({}, 0.5)).toBeUndefined();
  });

  it('covers only the cases decided in the last 90 days', () => {
    const day = (date: string, workingDays: Record<string, number>): DayFigures => ({
      day: date, received: 0, closed: 0, textsSent: 0, textsFailed: 0, textsDelivered: 0, textsNotDelivered: 0, workingDays,
      decided: Object.values(workingDays).reduce((a, b) => a + b, 0), withinStandard: 0,
    });
    const estimate = estimateFrom([day('2026-08-25', { '40': 5 }), day('2026-08-26', { '2': 1 }), day('2026-11-23', { '4': 2 })], '2026-11-23', MONDAY.toISOString());
    expect(estimate).toMatchObject({ decided: 3, p50: 4, p90: 4, from: '2026-08-26', to: '2026-11-23' });
  });

  it('is worked out again by each scheduled run as cases are decided, and a new case\'s status shows it only from 30 decided', async () => {
    const w = world();
    const references: string[] = [];
    for (let n = 0; n < 30; n++) references.push(await queued(w));
    // received on Monday; six decided on each day from Monday to Friday: in 0 to 4 working days
    for (let n = 0; n < 30; n++) {
      if (n > 0 && n % 6 === 0) w.clock.advance(DAY);
      await recordOutcome(w.deps, references[n], { outcome: 'approve', reason: '', by: 'cw-1', at: w.clock.now().toISOString() });
      // a decision alone does not work it out again (that reads 90 days of figures): the run does
      expect((await w.performance.summary('parking-permit', 'application'))?.estimate?.decided ?? 0).toBe(n);
      await publishPositions(w.deps);
      const summary = await w.performance.summary('parking-permit', 'application');
      expect(summary?.estimate?.decided).toBe(n + 1);
      if (n === 28) {
        const fresh = await queued(w);
        expect(statusWithDates(await publicFields(w.store, fresh), 'en', { summary: summary, now: w.clock.now() }).estimate).toBeUndefined();
      }
    }
    const summary = (await w.performance.summary('parking-permit', 'application'))!;
    // six cases each of 0, 1, 2, 3 and 4 working days: half within 2, nine in ten within 4
    expect(summary.estimate).toMatchObject({ decided: 30, p50: 2, p90: 4 });
    const fresh = await queued(w);
    const status = statusWithDates(await publicFields(w.store, fresh), 'en', { summary: summary, now: w.clock.now() });
    expect(status.estimate?.text).toBe(
      'Most applications like yours are decided within 2 working days; 9 in 10 within 4 working days. This is how long recent ones took, not a promise. We aim to decide by 11 December 2026.',
    );
    expect(status.estimate?.takingLonger).toBeUndefined();
    const welsh = statusWithDates(await publicFields(w.store, fresh), 'cy', { summary: summary, now: w.clock.now() });
    // Welsh says two its own way: "2 ddiwrnod"
    expect(welsh.estimate?.text).toContain('o fewn 2 ddiwrnod gwaith; 9 o bob 10 o fewn 4 diwrnod gwaith');

    // five working days on, the case has taken longer than 9 in 10: it says so, and what to do
    w.clock.advance(7 * DAY);
    // (as the scheduled job keeps it: worked out again, from the same cases)
    const kept = { ...summary, estimate: { ...summary.estimate!, computedAt: w.clock.now().toISOString() } };
    const later = statusWithDates(await publicFields(w.store, fresh), 'en', { summary: kept, now: w.clock.now() });
    expect(later.estimate?.takingLonger).toBe(
      `Yours is taking longer than 9 in 10 applications like it. You do not need to do anything, but you can contact the parking permits team about it: give them your reference ${fresh}.`,
    );
  });

  it('does not call a case late before it is past what the estimate says, nor use an estimate a day old', async () => {
    const w = world();
    const reference = await queued(w);
    const estimate = { decided: 40, withinStandard: 40, p50: 0, p90: 0, from: '2026-08-26', to: '2026-11-23', computedAt: MONDAY.toISOString() };
    w.clock.advance(DAY); // the next working day: "9 in 10 within 1 working day", and this one is within it
    const nextDay = statusWithDates(await publicFields(w.store, reference), 'en', { summary: { estimate }, now: w.clock.now() });
    expect(nextDay.estimate?.text).toContain('9 in 10 within 1 working day');
    expect(nextDay.estimate?.takingLonger).toBeUndefined();
    w.clock.advance(DAY);
    expect(statusWithDates(await publicFields(w.store, reference), 'en', { summary: { estimate: { ...estimate, computedAt: new Date(w.clock.now().getTime() - DAY / 2).toISOString() } }, now: w.clock.now() }).estimate?.takingLonger).toBeDefined();
    // worked out two days ago: the job that keeps it current has stopped, so it is not shown
    expect(statusWithDates(await publicFields(w.store, reference), 'en', { summary: { estimate }, now: w.clock.now() }).estimate).toBeUndefined();
  });

  it('is not shown once the case is decided, nor while we wait for the citizen', async () => {
    const w = world();
    const reference = await queued(w);
    const summary: JourneySummary = { estimate: { decided: 40, withinStandard: 40, p50: 2, p90: 4, from: '2026-08-26', to: '2026-11-23', computedAt: MONDAY.toISOString() } };
    await askForInformation(w.deps, { reference, taskToken: 'info', request: { reason: 'Send a photo.', by: 'cw-1' } });
    expect(statusWithDates(await publicFields(w.store, reference), 'en', { summary: summary, now: w.clock.now() }).estimate).toBeUndefined();
    await recordOutcome(w.deps, reference, { outcome: 'approve', reason: '', by: 'cw-1', at: MONDAY.toISOString() });
    expect(statusWithDates(await publicFields(w.store, reference), 'en', { summary: summary, now: w.clock.now() }).estimate).toBeUndefined();
  });
});

describe('where the queue has got to', () => {
  it('says which cases we are deciding now, from the oldest still waiting, per service journey and queue', async () => {
    const w = world();
    const oldest = await queued(w);
    w.clock.advance(2 * DAY);
    const newer = await queued(w);
    await queued(w, 'renewal');
    expect(await publishPositions(w.deps)).toEqual({ journeys: 3, waiting: 3 });
    const summary = await w.performance.summary('parking-permit', 'application');
    expect(summary?.queues).toEqual({ 'awaiting-decision': { oldestReceivedOn: '2026-11-23', waiting: 2 } });
    const status = statusWithDates(await publicFields(w.store, newer), 'en', { summary: summary, now: w.clock.now() });
    expect(status.queuePosition).toEqual({ text: 'We are now deciding applications received on or before 23 November 2026.', receivedOnOrBefore: '2026-11-23' });
    expect(statusWithDates(await publicFields(w.store, newer), 'cy', { summary: summary, now: w.clock.now() }).queuePosition?.text).toBe('Rydym nawr yn penderfynu ar geisiadau a ddaeth i law ar neu cyn 23 Tachwedd 2026.');
    expect((await w.performance.summary('parking-permit', 'renewal'))?.queues?.['awaiting-decision']?.waiting).toBe(1);

    // decided: the queue moves on to the next oldest
    await recordOutcome(w.deps, oldest, { outcome: 'approve', reason: '', by: 'cw-1', at: w.clock.now().toISOString() });
    w.clock.advance(60_000);
    await publishPositions(w.deps);
    expect((await w.performance.summary('parking-permit', 'application'))?.queues).toEqual({ 'awaiting-decision': { oldestReceivedOn: '2026-11-25', waiting: 1 } });
  });

  it('is not shown when the queues were last read more than a day ago', async () => {
    const w = world();
    const reference = await queued(w);
    await publishPositions(w.deps);
    const summary = await w.performance.summary('parking-permit', 'application');
    w.clock.advance(DAY + 60_000);
    expect(statusWithDates(await publicFields(w.store, reference), 'en', { summary: summary, now: w.clock.now() }).queuePosition).toBeUndefined();
  });
});
