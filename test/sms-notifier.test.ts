// The SMS notifier's rules on the in-memory ports: once per milestone event, never to an
// opted-out number, a failure recorded and thrown for the retry, a dead invocation's claim taken
// over. (The notifier runs end to end on the local SNS in notifications.test.ts.)
import { CountedMetrics, InMemoryCaseStore, RecordedLog, RecordedSms, TestClock, InMemoryPerformanceStore, InMemorySentTexts } from '../lambdas/adapters/memory/in-memory';
import { notify, SENDING_EXPIRES_MS, type NotifierDeps } from '../lambdas/domain/messages/notifications';
import { milestoneEvent, type Milestone } from '../lambdas/domain/cases/milestones';
import { receivedCase } from '../lambdas/domain/cases/transitions';
import { newReference } from '../lambdas/domain/shared/reference';
import type { CaseRecord } from '../lambdas/domain/cases/case';
import type { Language } from '../lambdas/domain/shared/language';

const PHONE = '+447700900123';

async function world(language: Language = 'en') {
  const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
  const store = new InMemoryCaseStore(clock.now);
  const sms = new RecordedSms();
  const metrics = new CountedMetrics();
  const log = new RecordedLog();
  const deps: NotifierDeps = { store, sms, metrics, log, clock: clock.now, performance: new InMemoryPerformanceStore(), sentTexts: new InMemorySentTexts() };
  const record = receivedCase(
    {
      reference: newReference('application'),
      journey: 'application',
      service: 'parking-permit',
      language,
      applicant: { name: 'Ffion Llewelyn', dateOfBirth: '1977-11-05', phone: PHONE },
      details: {},
    },
    clock.now(),
  );
  await store.create(record);
  const event = (milestone: Milestone = 'received') => milestoneEvent(record, milestone, '0', record.createdAt);
  const notifications = async () => (await store.require(record.reference)).notifications;
  return { clock, store, sms, metrics, log, deps, record, event, notifications };
}

describe('the SMS notifier', () => {
  it('texts the citizen in their language and records the send with its segments', async () => {
    const { deps, sms, metrics, event, notifications, record } = await world('cy');
    await expect(notify(deps, event())).resolves.toBe('sent');
    expect(sms.sent).toEqual([{ phone: PHONE, text: expect.stringMatching(/^Trwydded parcio preswylwyr: mae eich cais APP-/) }]);
    // with the provider's id for the text, which its delivery receipt names
    expect(await notifications()).toEqual([{ event: `${record.reference}/received/0`, milestone: 'received', channel: 'sms', status: 'sent', segments: expect.any(Number), at: expect.any(String), messageId: 'message-1' }]);
    expect(metrics.counts).toMatchObject({ SmsSent: 1, SmsSegments: (await notifications())[0].segments });
  });

  it('sends a milestone event once, however often it is delivered', async () => {
    const { deps, sms, event } = await world();
    const outcomes = await Promise.all([notify(deps, event()), notify(deps, event()), notify(deps, event())]);
    expect(outcomes.sort()).toEqual(['sent', 'skipped', 'skipped']);
    expect(sms.sent).toHaveLength(1);
  });

  it('skips milestones citizens are not texted about', async () => {
    const { deps, sms, event, notifications } = await world();
    await expect(notify(deps, event('checks-complete'))).resolves.toBe('skipped');
    expect(sms.sent).toEqual([]);
    expect(await notifications()).toEqual([]);
  });

  it('never texts an opted-out number, and records that it did not', async () => {
    const { deps, sms, event, notifications, metrics } = await world();
    sms.optedOut.add(PHONE);
    await expect(notify(deps, event())).resolves.toBe('opted-out');
    expect(sms.sent).toEqual([]);
    expect((await notifications())[0].status).toBe('opted-out');
    expect(metrics.counts.SmsOptedOut).toBe(1);
  });

  it('records a failed send and throws it for the retry, which then sends it in the same place', async () => {
    const { deps, sms, event, notifications, log } = await world();
    sms.failing = true;
    await expect(notify(deps, event())).rejects.toMatchObject({ name: 'InternalError' });
    expect((await notifications()).map((n) => n.status)).toEqual(['failed']);
    expect(JSON.stringify(log.lines)).not.toContain(PHONE);
    sms.failing = false;
    await expect(notify(deps, event())).resolves.toBe('sent');
    expect((await notifications()).map((n) => n.status)).toEqual(['sent']);
  });

  it('takes over a send left "sending" by an invocation that died, but only after it expired', async () => {
    const { deps, sms, event, store, record, clock } = await world();
    await store.update(record.reference, (current: CaseRecord) => ({
      set: { notifications: [...current.notifications, { event: event().event, milestone: 'received', channel: 'sms', status: 'sending', at: clock.now().toISOString() }] },
    }));
    await expect(notify(deps, event())).resolves.toBe('skipped');
    clock.advance(SENDING_EXPIRES_MS + 1);
    await expect(notify(deps, event())).resolves.toBe('sent');
    expect(sms.sent).toHaveLength(1);
  });
});
