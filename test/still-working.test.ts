// Breaking the silence: a case waiting for us with no milestone for the service's interval gets
// one "still being worked on" text per interval, in working hours, in the citizen's language, and
// stays flagged as quiet for caseworkers. The rules on the in-memory ports (with the real notifier
// behind the topic, so "texted once" is counted in texts), then once end to end on the local platform.
import { CountedMetrics, InMemoryCaseStore, InMemoryPerformanceStore, RecordedLog, RecordedSms, TestClock, InMemorySentTexts } from '../lambdas/adapters/memory/in-memory';
import { askForInformation, checkCase, queueForDecision, recordOutcome, type CountingStepDeps } from '../lambdas/domain/journeys/journey-steps';
import { receivedCase } from '../lambdas/domain/cases/transitions';
import { recordDelay } from '../lambdas/domain/casework/delays';
import { notify } from '../lambdas/domain/messages/notifications';
import { newReference, JOURNEY_PREFIXES, type Journey } from '../lambdas/domain/shared/reference';
import type { Language } from '../lambdas/domain/shared/language';
import type { MilestoneEvent } from '../lambdas/domain/cases/milestones';
import type { MilestonePublisher } from '../lambdas/domain/ports';
import { renderSms, smsSegments } from '../lambdas/domain/messages/sms';
import { CONTENT, fill } from '../lambdas/domain/services/content';
import { findService, serviceCodes } from '../lambdas/domain/services/catalogue';
import { readQueue, queueRow } from '../lambdas/domain/casework/work-queue';
import { addWorkingDays, ukDate } from '../lambdas/domain/shared/working-days';
import { tellQuietCases, withinTextingHours } from '../lambdas/domain/messages/still-working';
import { anApplication, startTestPlatform } from './support/platform';

// Monday 23 November 2026, 10:00 in the UK (GMT): no bank holiday near. The parking permit's
// interval is 5 working days, so a case queued now is quiet from Monday 30 November.
const MONDAY = new Date('2026-11-23T10:00:00Z');
const at = (iso: string) => new Date(iso);

/** The topic, with the real notifier subscribed: what is published is texted (once per event). */
class NotifiedMilestones implements MilestonePublisher {
  readonly published: MilestoneEvent[] = [];
  /** set to make the next publish throw, as a run that crashed after its write would stop */
  crashNext = false;
  /** set to make publishing fail, as a topic outage would */
  failing = false;
  constructor(private readonly deliver: (event: MilestoneEvent) => Promise<unknown>) {}

  async publish(event: MilestoneEvent): Promise<boolean> {
    if (this.crashNext) {
      this.crashNext = false;
      throw Object.assign(new Error('the run stopped'), { name: 'Crashed' });
    }
    if (this.failing) return false;
    this.published.push(event);
    await this.deliver(event);
    return true;
  }
}

function world() {
  const clock = new TestClock(MONDAY);
  const store = new InMemoryCaseStore(clock.now);
  const metrics = new CountedMetrics();
  const log = new RecordedLog();
  const sms = new RecordedSms();
  const performance = new InMemoryPerformanceStore();
  const milestones = new NotifiedMilestones((event) => notify({ store, sms, metrics, log, clock: clock.now, performance, sentTexts: new InMemorySentTexts() }, event));
  const deps: CountingStepDeps = { store, milestones, metrics, log, clock: clock.now, performance };
  /** the still-working texts sent, as "reference: text" */
  const stillWorkingTexts = async () => {
    const texts: string[] = [];
    for (const record of store.cases.values()) {
      const text = renderSms(await store.require(record.reference), 'still-working')!;
      texts.push(...sms.sent.filter((sent) => sent.text === text).map((sent) => `${record.reference}: ${sent.text}`));
    }
    return texts;
  };
  return { clock, store, metrics, log, sms, milestones, deps, stillWorkingTexts };
}

type World = ReturnType<typeof world>;

/** A case checked and queued for a decision at the clock's time (its last milestone). */
async function aWaitingCase(w: World, options: { journey?: Journey; language?: Language; phone?: string } = {}): Promise<string> {
  const journey = options.journey ?? 'application';
  const reference = newReference(journey);
  await w.store.create(
    receivedCase(
      {
        reference,
        journey,
        service: 'parking-permit',
        language: options.language ?? 'en',
        applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: options.phone ?? '+447700900123' },
        details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High Street', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant' },
      },
      w.clock.now(),
    ),
  );
  await checkCase(w.deps, reference);
  await queueForDecision(w.deps, { reference, taskToken: `token-${reference}`, escalated: false, standard: { decisionWorkingDays: 10 } });
  return reference;
}

describe('a case quiet for too long', () => {
  it('gets exactly one notice however often the job runs that day, and nothing on the case moves but the notice', async () => {
    const w = world();
    const reference = await aWaitingCase(w);
    const before = await w.store.require(reference);
    for (const time of ['2026-11-30T09:00:00Z', '2026-11-30T09:00:00Z', '2026-11-30T10:00:00Z', '2026-11-30T17:59:00Z']) await tellQuietCases(w.deps, at(time));
    expect(await w.stillWorkingTexts()).toEqual([`${reference}: Resident parking permit ${reference}: we are still working on your application. Nothing is needed from you. We will text you when it moves on.`]);
    expect(w.metrics.counts.QuietCasesTold).toBe(1);
    const after = await w.store.require(reference);
    expect(after.quietNoticeAt).toBe('2026-11-30T09:00:00.000Z');
    // the caseworker's flag works from the last milestone, which the notice does not move
    expect(after.lastMilestoneAt).toBe(before.lastMilestoneAt);
    expect(after.history).toEqual(before.history);
    expect(after.audit).toEqual(before.audit);
    expect(after.stage).toBe('awaiting-decision');
    expect(after.notifications.filter((n) => n.milestone === 'still-working')).toEqual([
      { event: `${reference}/still-working/quiet-2026-11-30`, milestone: 'still-working', channel: 'sms', status: 'sent', segments: 1, at: expect.any(String), messageId: expect.any(String) },
    ]);
  });

  it('gets another notice only after a further interval', async () => {
    const w = world();
    const reference = await aWaitingCase(w);
    await tellQuietCases(w.deps, at('2026-11-30T10:00:00Z'));
    // Tuesday to Friday: four working days since the notice
    for (const time of ['2026-12-01T10:00:00Z', '2026-12-03T12:00:00Z', '2026-12-04T17:00:00Z']) expect((await tellQuietCases(w.deps, at(time))).told).toBe(0);
    expect(await w.stillWorkingTexts()).toHaveLength(1);
    expect((await tellQuietCases(w.deps, at('2026-12-07T09:00:00Z'))).told).toBe(1);
    await tellQuietCases(w.deps, at('2026-12-07T10:00:00Z'));
    expect(await w.stillWorkingTexts()).toHaveLength(2);
    expect(w.milestones.published.filter((event) => event.milestone === 'still-working').map((event) => event.event)).toEqual([
      `${reference}/still-working/quiet-2026-11-30`,
      `${reference}/still-working/quiet-2026-12-07`,
    ]);
    expect(w.metrics.counts.QuietCasesTold).toBe(2);
  });

  it('is texted in Welsh when the citizen reads Welsh, and on every journey', async () => {
    const w = world();
    const welsh = await aWaitingCase(w, { language: 'cy', phone: '+447700900201' });
    const renewal = await aWaitingCase(w, { journey: 'renewal', phone: '+447700900202' });
    expect((await tellQuietCases(w.deps, at('2026-11-30T11:00:00Z'))).told).toBe(2);
    expect(w.sms.sent.filter((sent) => sent.phone === '+447700900201').at(-1)?.text).toBe(
      `Trwydded parcio preswylwyr ${welsh}: rydym yn dal i weithio ar eich cais. Nid oes angen i chi wneud dim. Byddwn yn anfon neges pan fydd yn symud ymlaen.`,
    );
    expect(w.sms.sent.filter((sent) => sent.phone === '+447700900202').at(-1)?.text).toContain(`${renewal}: we are still working on your renewal.`);
  });

  it('is told when it waits in the senior queue after an escalation', async () => {
    const w = world();
    const reference = await aWaitingCase(w);
    await queueForDecision(w.deps, { reference, taskToken: 'token-2', escalated: true, standard: { decisionWorkingDays: 10 } });
    expect((await w.store.require(reference)).queue).toBe('senior-review');
    expect((await tellQuietCases(w.deps, at('2026-11-30T11:00:00Z'))).told).toBe(1);
  });

  it('stays flagged as quiet in the caseworker queue after the notice', async () => {
    const w = world();
    const reference = await aWaitingCase(w);
    await tellQuietCases(w.deps, at('2026-11-30T10:00:00Z'));
    expect(await w.stillWorkingTexts()).toHaveLength(1);
    const { entries } = await readQueue(w.store, 'awaiting-decision');
    expect(entries.map((entry) => [entry.reference, queueRow('awaiting-decision', entry, '2026-11-30').quietForWorkingDays])).toEqual([[reference, 5]]);
  });
});

describe('no notice', () => {
  it('before the interval has passed', async () => {
    const w = world();
    await aWaitingCase(w);
    // Tuesday to Friday: four working days
    for (const time of ['2026-11-24T10:00:00Z', '2026-11-27T09:00:00Z', '2026-11-27T17:00:00Z']) await tellQuietCases(w.deps, at(time));
    expect(await w.stillWorkingTexts()).toEqual([]);
    expect(w.metrics.counts.QuietCasesTold).toBeUndefined();
  });

  it('after a fresh milestone: an explained delay starts the interval again', async () => {
    const w = world();
    const reference = await aWaitingCase(w);
    w.clock.advance(4 * 86_400_000); // Friday 27 November
    await recordDelay(w.deps, reference, { id: 'cw-1', senior: false }, { reason: 'We are waiting for the DVLA.', newDate: '2027-01-29' }, w.clock.now());
    expect((await tellQuietCases(w.deps, at('2026-11-30T10:00:00Z'))).told).toBe(0);
    expect(await w.stillWorkingTexts()).toEqual([]);
    // five working days after the delay
    expect((await tellQuietCases(w.deps, at('2026-12-04T10:00:00Z'))).told).toBe(1);
  });

  it('at night, at weekends or on a bank holiday', async () => {
    const w = world();
    await aWaitingCase(w);
    // before 09:00, from 18:00, overnight, Saturday and Sunday: the job does nothing at all
    for (const time of ['2026-11-30T08:59:00Z', '2026-11-30T18:00:00Z', '2026-11-30T23:30:00Z', '2026-12-05T10:00:00Z', '2026-12-06T14:00:00Z']) {
      expect(await tellQuietCases(w.deps, at(time))).toEqual({ told: 0, announcedAgain: 0, failed: 0, left: 0, outsideTextingHours: true });
    }
    expect(await w.stillWorkingTexts()).toEqual([]);

    // queued on Thursday 17 December: quiet from Christmas Eve, but Christmas Day and Monday 28th are bank holidays
    const christmas = world();
    christmas.clock.advance(at('2026-12-17T10:00:00Z').getTime() - MONDAY.getTime());
    await aWaitingCase(christmas);
    for (const time of ['2026-12-25T10:00:00Z', '2026-12-28T10:00:00Z']) expect((await tellQuietCases(christmas.deps, at(time))).outsideTextingHours).toBe(true);
    expect(await christmas.stillWorkingTexts()).toEqual([]);
    expect((await tellQuietCases(christmas.deps, at('2026-12-29T09:00:00Z'))).told).toBe(1);
  });

  it('keeps to UK time in summer too', () => {
    // British Summer Time: 08:30 UTC is 09:30 in the UK, 17:30 UTC is 18:30
    expect(withinTextingHours(at('2027-06-07T08:30:00Z'))).toBe(true);
    expect(withinTextingHours(at('2027-06-07T07:59:00Z'))).toBe(false);
    expect(withinTextingHours(at('2027-06-07T16:59:00Z'))).toBe(true);
    expect(withinTextingHours(at('2027-06-07T17:30:00Z'))).toBe(false);
  });

  it('for a case waiting for the citizen\'s information, or one decided', async () => {
    const w = world();
    const waiting = await aWaitingCase(w);
    await askForInformation(w.deps, { reference: waiting, taskToken: 'token-info', request: { reason: 'Send a photo of your V5C.', by: 'cw-1' } });
    const decided = await aWaitingCase(w);
    await recordOutcome(w.deps, decided, { outcome: 'approve', reason: 'Checked.', by: 'cw-1', at: MONDAY.toISOString() });
    expect(await tellQuietCases(w.deps, at('2026-12-07T10:00:00Z'))).toEqual({ told: 0, announcedAgain: 0, failed: 0, left: 0 });
    expect(await w.stillWorkingTexts()).toEqual([]);
  });
});

describe('a run that fails', () => {
  it('texts once on the next run when it stopped between its write and the announcement', async () => {
    const w = world();
    const reference = await aWaitingCase(w);
    w.milestones.crashNext = true;
    expect(await tellQuietCases(w.deps, at('2026-11-30T10:00:00Z'))).toMatchObject({ told: 1, failed: 1 });
    expect((await w.store.require(reference)).quietNoticeAt).toBe('2026-11-30T10:00:00.000Z');
    expect(await w.stillWorkingTexts()).toEqual([]);
    // the retry of the same scheduled time, then the next hour: the notice is sent once
    expect(await tellQuietCases(w.deps, at('2026-11-30T10:00:00Z'))).toMatchObject({ told: 0, announcedAgain: 1, failed: 0 });
    expect(await tellQuietCases(w.deps, at('2026-11-30T11:00:00Z'))).toMatchObject({ told: 0, announcedAgain: 0, failed: 0 });
    expect(await w.stillWorkingTexts()).toHaveLength(1);
    expect(w.metrics.counts.QuietCasesTold).toBe(1);
  });

  it('texts on a later run when the topic refused the notice', async () => {
    const w = world();
    await aWaitingCase(w);
    w.milestones.failing = true;
    await tellQuietCases(w.deps, at('2026-11-30T10:00:00Z'));
    expect(w.metrics.counts.MilestonesNotPublished).toBe(1);
    w.milestones.failing = false;
    await tellQuietCases(w.deps, at('2026-12-01T10:00:00Z'));
    await tellQuietCases(w.deps, at('2026-12-01T11:00:00Z'));
    expect(await w.stillWorkingTexts()).toHaveLength(1);
  });

  it('never stops the others, and logs the failing case by its reference and error name only', async () => {
    const w = world();
    const failing = await aWaitingCase(w);
    const other = await aWaitingCase(w);
    w.store.beforeWrite = (reference) => {
      if (reference === failing) throw Object.assign(new Error(`cannot write for Alex Example, +447700900123`), { name: 'ProvisionedThroughputExceededException' });
    };
    expect(await tellQuietCases(w.deps, at('2026-11-30T10:00:00Z'))).toMatchObject({ told: 1, failed: 1 });
    expect((await w.stillWorkingTexts()).map((text) => text.split(':')[0])).toEqual([other]);
    const errors = w.log.lines.filter((line) => line.level === 'error');
    expect(errors).toEqual([{ level: 'error', message: 'still-working notice failed', fields: { reference: failing, error: 'ProvisionedThroughputExceededException' } }]);
    expect(JSON.stringify(w.log.lines)).not.toMatch(/Alex|\+447700900123|1990-04-01/);
    // the next run tells it
    w.store.beforeWrite = undefined;
    expect((await tellQuietCases(w.deps, at('2026-11-30T11:00:00Z'))).told).toBe(1);
  });
});

describe('a run', () => {
  it('reads a bounded number of cases, and reaches the rest on the next runs', async () => {
    const w = world();
    const references = [await aWaitingCase(w), await aWaitingCase(w), await aWaitingCase(w)];
    const first = await tellQuietCases(w.deps, at('2026-11-30T09:00:00Z'), 2);
    expect(first).toMatchObject({ told: 2, left: 1 });
    const second = await tellQuietCases(w.deps, at('2026-11-30T10:00:00Z'), 2);
    expect(second).toMatchObject({ told: 1, left: 1 });
    expect((await w.stillWorkingTexts()).map((text) => text.split(':')[0]).sort()).toEqual([...references].sort());
    expect(w.metrics.counts.QuietCasesTold).toBe(3);
  });
});

describe('the still-working text', () => {
  const longestServiceName = (language: Language) =>
    serviceCodes()
      .map((code) => findService(code)!.name[language])
      .sort((a, b) => b.length - a.length)[0];

  it.each(Object.keys(JOURNEY_PREFIXES) as Journey[])('fits one SMS segment in English for %s, with the longest service name and a reference', (journey) => {
    const template = CONTENT.en.journeys[journey]?.sms['still-working'];
    expect(template).toBeDefined();
    const text = fill(template!, { service: longestServiceName('en'), reference: `${JOURNEY_PREFIXES[journey]}-WWWW-WWWW-WWWW` });
    expect(text).not.toMatch(/\{\w+\}/);
    expect(smsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});

describe('on the local platform', () => {
  it('texts a quiet case once, in the citizen\'s language, however often the job runs', async () => {
    const { platform, api } = await startTestPlatform();
    try {
      const phones = { en: '+447700900601', cy: '+447700900602' };
      const english = (await api.submit(anApplication({ applicant: { phone: phones.en } }))).body.reference;
      const welsh = (await api.submit(anApplication({ applicant: { phone: phones.cy, language: 'cy' } }))).body.reference;
      await api.stage(english, 'awaiting-decision');
      await api.stage(welsh, 'awaiting-decision');

      const stillWorking = async () => {
        await platform.sns.settled();
        const { messages } = (await api.request('GET', '/_local/outbox')).body as { messages: { phoneNumber: string; message: string }[] };
        const texts = (language: Language, reference: string) =>
          fill(CONTENT[language].journeys.application!.sms['still-working']!, { service: findService('parking-permit')!.name[language], reference });
        return {
          en: messages.filter((m) => m.phoneNumber === phones.en && m.message === texts('en', english)).length,
          cy: messages.filter((m) => m.phoneNumber === phones.cy && m.message === texts('cy', welsh)).length,
        };
      };
      // six working days on, at 11:00 (11:00 or noon in the UK): within texting hours
      const later = at(`${addWorkingDays(ukDate(new Date()), 6)}T11:00:00Z`);
      expect(await platform.runJob('StillWorkingTexts', later)).toMatchObject({ told: 2, failed: 0 });
      expect(await stillWorking()).toEqual({ en: 1, cy: 1 });
      await platform.runJob('StillWorkingTexts', later);
      expect(await platform.runJob('StillWorkingTexts', new Date(later.getTime() + 3_600_000))).toMatchObject({ told: 0, failed: 0 });
      expect(await stillWorking()).toEqual({ en: 1, cy: 1 });
      const notifications = (await api.case(english)).body.notifications.filter((n: { milestone: string }) => n.milestone === 'still-working');
      expect(notifications).toEqual([expect.objectContaining({ event: `${english}/still-working/quiet-${ukDate(later)}`, status: 'sent' })]);
    } finally {
      await platform.stop();
    }
  });
});
