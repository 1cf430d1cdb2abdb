// Wrong dates of birth counted per case, on the in-memory ports: a burst of guesses sent at once
// gets no more answers than the case has tries, a check that never settles still counts, and a
// guesser who stays under the limit for a day is still counted a month on.
import { CountedMetrics, InMemoryCaseStore, RecordedLog, RecordedMilestones, TestClock } from '../lambdas/adapters/memory/in-memory';
import { PAUSE_HOURS, WRONG_DATES_BEFORE_PAUSE, WRONG_DATES_WINDOW_DAYS, proveOwnership, reserveCheck, settleCheck } from '../lambdas/domain/citizens/identity';
import { receivedCase } from '../lambdas/domain/cases/transitions';
import type { TransitionDeps } from '../lambdas/domain/cases/transitions';
import { CaseNotFound, PublicError } from '../lambdas/domain/shared/errors';
import { whyNotOpen } from '../lambdas/domain/citizens/citizen-actions';

const DOB = '1979-06-14';
const START = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;

function world() {
  const clock = new TestClock(START);
  const store = new InMemoryCaseStore(clock.now);
  const milestones = new RecordedMilestones();
  const deps: TransitionDeps = { store, milestones, metrics: new CountedMetrics(), log: new RecordedLog(), clock: clock.now };
  return { clock, store, milestones, deps };
}

async function aCase(store: InMemoryCaseStore): Promise<string> {
  const record = receivedCase({ reference: 'APP-7K3M-9Q2X-4FJT', journey: 'application', service: 'parking-permit', language: 'en', applicant: { name: 'A', dateOfBirth: DOB, phone: '+447700900123' }, details: {} }, START);
  await store.create(record);
  return record.reference;
}

/** What one check answers: 'owner', 'wrong' (the 404) or 'refused' (a 429, nothing compared). */
async function check(w: ReturnType<typeof world>, reference: string, dateOfBirth: string): Promise<'owner' | 'wrong' | 'refused'> {
  try {
    await proveOwnership(w.deps, (await w.store.get(reference))!, dateOfBirth, w.clock.now());
    return 'owner';
  } catch (error) {
    if (error instanceof CaseNotFound || (error instanceof PublicError && error.code === 'not-found')) return 'wrong';
    if (error instanceof PublicError && error.code === 'too-many-tries') return 'refused';
    throw error;
  }
}

const wrongDate = (i: number) => `19${String(50 + (i % 40)).padStart(2, '0')}-01-${String(1 + (i % 28)).padStart(2, '0')}`;

describe('dates of birth for one case', () => {
  it(`answer a burst of 41 at once no more often than the case has tries (${WRONG_DATES_BEFORE_PAUSE}), and pause it`, async () => {
    const w = world();
    const reference = await aCase(w.store);
    const answers = await Promise.all([...Array.from({ length: 40 }, (_, i) => check(w, reference, wrongDate(i))), check(w, reference, DOB)]);
    const compared = answers.filter((answer) => answer !== 'refused');
    expect(compared.length).toBeLessThanOrEqual(WRONG_DATES_BEFORE_PAUSE);
    const record = (await w.store.get(reference))!;
    expect(record.dateOfBirthTries?.wrong).toBe(answers.filter((answer) => answer === 'wrong').length);
    // and once the wrong ones have all been counted, nothing more is compared, the right date included
    while (!(await w.store.get(reference))!.dateOfBirthTries?.pausedUntil) expect(await check(w, reference, wrongDate(99))).not.toBe('owner');
    expect(await check(w, reference, DOB)).toBe('refused');
    expect(w.milestones.published.filter((event) => event.milestone === 'actions-paused')).toHaveLength(1);
  });

  it('count a check that never settles (its request died) as a wrong date', () => {
    const now = START;
    const reserved = reserveCheck(undefined, 'lost', now);
    if (typeof reserved === 'string') throw new Error(reserved);
    const later = new Date(now.getTime() + 60_000);
    const next = reserveCheck(reserved, 'next', later);
    if (typeof next === 'string') throw new Error(next);
    expect(next.wrong).toBe(1);
    expect(next.checking?.map((c) => c.id)).toEqual(['next']);
    // and settling the lost one late does not count it twice
    expect(settleCheck(next, 'lost', false, later).wrong).toBe(1);
  });

  it(`keep counting a guesser who stays under the limit for days, within ${WRONG_DATES_WINDOW_DAYS} days`, async () => {
    const w = world();
    const reference = await aCase(w.store);
    for (let day = 0; day < WRONG_DATES_BEFORE_PAUSE - 1; day++) {
      expect(await check(w, reference, wrongDate(day))).toBe('wrong');
      w.clock.advance(25 * HOUR);
    }
    expect(await check(w, reference, wrongDate(9))).toBe('wrong');
    expect(await check(w, reference, DOB)).toBe('refused');
    expect(w.milestones.published.map((event) => event.milestone)).toEqual(['actions-paused']);
    // the pause ends: the citizen's own date works again
    w.clock.advance(PAUSE_HOURS * HOUR);
    expect(await check(w, reference, DOB)).toBe('owner');
  });

  it('let the citizen in with the right date, and count nothing against them', async () => {
    const w = world();
    const reference = await aCase(w.store);
    for (let i = 0; i < WRONG_DATES_BEFORE_PAUSE + 2; i++) expect(await check(w, reference, DOB)).toBe('owner');
    expect((await w.store.get(reference))!.dateOfBirthTries).toMatchObject({ wrong: 0 });
  });
});

describe('an answer to a request for information', () => {
  it('is open only until the day the citizen was given to answer by, the same to anyone', () => {
    const asked = { ...receivedCase({ reference: 'APP-7K3M-9Q2X-4FJT', journey: 'application', service: 'parking-permit', language: 'en', applicant: { name: 'A', dateOfBirth: DOB, phone: '+447700900123' }, details: {} }, START), stage: 'information-needed' as const, expectedBy: '2026-12-14' };
    expect(whyNotOpen(asked, 'answer', '2026-12-14')).toBeUndefined();
    expect(whyNotOpen(asked, 'answer', '2026-12-15')?.message).toMatch(/^The time to answer ended on 14 December 2026/);
  });
});
