// The SMS provider's delivery receipts: read from SNS's delivery-status log lines as CloudWatch
// Logs delivers them, put on the case's record of the text and counted in the published figures
// once each; receipts for texts this platform did not send are left alone. End to end on the
// local platform, whose SNS sends a receipt for each text as SNS's logs do in AWS.
import { gzipSync } from 'node:zlib';
import { receiptsOf } from '../lambdas/adapters/aws/sms-receipts';
import { CountedMetrics, InMemoryCaseStore, InMemoryPerformanceStore, InMemorySentTexts, RecordedLog, RecordedSms, TestClock } from '../lambdas/adapters/memory/in-memory';
import { notify, type NotifierDeps } from '../lambdas/domain/messages/notifications';
import { recordReceipt } from '../lambdas/domain/messages/receipts';
import { receivedCase } from '../lambdas/domain/cases/transitions';
import { milestoneEvent } from '../lambdas/domain/cases/milestones';
import { newReference } from '../lambdas/domain/shared/reference';
import { UNREACHABLE_PHONE } from '../local/sns';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import { anApplication, eventually, startTestPlatform } from './support/platform';

const logsEvent = (data: unknown) => ({ awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } });
const line = (messageId: string, status: string, destination = '+447700900123') =>
  JSON.stringify({ notification: { messageId, timestamp: '2026-11-23 10:00:01.123' }, delivery: { destination, smsType: 'Transactional', providerResponse: 'Message has been accepted by phone carrier' }, status });

describe('reading the delivery-status log lines', () => {
  it('takes the message id, whether it was delivered and when, and nothing else', () => {
    const receipts = receiptsOf(logsEvent({ messageType: 'DATA_MESSAGE', logEvents: [{ message: line('m-1', 'SUCCESS') }, { message: line('m-2', 'FAILURE') }] }));
    expect(receipts).toEqual([
      { messageId: 'm-1', delivered: true, at: '2026-11-23T10:00:01.123Z' },
      { messageId: 'm-2', delivered: false, at: '2026-11-23T10:00:01.123Z' },
    ]);
    // the phone number in the line goes no further
    expect(JSON.stringify(receipts)).not.toContain('7700900123');
  });

  it('skips the subscription\'s control message and lines that are not receipts', () => {
    expect(receiptsOf(logsEvent({ messageType: 'CONTROL_MESSAGE', logEvents: [{ message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda.' }] }))).toEqual([]);
    expect(receiptsOf(logsEvent({ messageType: 'DATA_MESSAGE', logEvents: [{ message: 'not json' }, { message: JSON.stringify({ status: 'SUCCESS' }) }, { message: line('m-3', 'PENDING') }] }))).toEqual([]);
  });
});

describe('recording a receipt', () => {
  async function world() {
    const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
    const store = new InMemoryCaseStore(clock.now);
    const deps: NotifierDeps = { store, sms: new RecordedSms(), sentTexts: new InMemorySentTexts(), performance: new InMemoryPerformanceStore(), metrics: new CountedMetrics(), log: new RecordedLog(), clock: clock.now };
    const record = receivedCase(
      { reference: newReference('application'), journey: 'application', service: 'parking-permit', language: 'en', applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123' }, details: {} },
      clock.now(),
    );
    await store.create(record);
    const event = milestoneEvent(record, 'received', '0', record.createdAt);
    await notify(deps, event);
    const [text] = (await store.require(record.reference)).notifications;
    return { deps, store, reference: record.reference, event, messageId: text.messageId! };
  }

  it('puts it on the case\'s record of the text and counts it once, on the text\'s day, however often it comes', async () => {
    const { deps, store, reference, event, messageId } = await world();
    expect(await recordReceipt(deps, { messageId, delivered: true, at: '2026-11-23T10:00:05.000Z' })).toBe('recorded');
    expect(await recordReceipt(deps, { messageId, delivered: true, at: '2026-11-23T10:00:05.000Z' })).toBe('already');
    const [text] = (await store.require(reference)).notifications;
    expect(text).toMatchObject({ event: event.event, status: 'sent', messageId, delivery: { status: 'delivered', at: '2026-11-23T10:00:05.000Z' } });
    const [day] = await deps.performance.days('parking-permit', 'application', '2026-11-23', '2026-11-23');
    expect(day).toMatchObject({ textsSent: 1, textsDelivered: 1, textsNotDelivered: 0 });
  });

  it('says a text did not reach the phone when the receipt says so', async () => {
    const { deps, store, reference, messageId } = await world();
    await recordReceipt(deps, { messageId, delivered: false, at: '2026-11-24T10:00:00.000Z' });
    expect((await store.require(reference)).notifications[0].delivery).toEqual({ status: 'not-delivered', at: '2026-11-24T10:00:00.000Z' });
    // counted on the text's day, not the receipt's
    const [day] = await deps.performance.days('parking-permit', 'application', '2026-11-01', '2026-11-30');
    expect(day).toMatchObject({ day: '2026-11-23', textsDelivered: 0, textsNotDelivered: 1 });
  });

  it('leaves a receipt for a text it did not send alone (the account\'s other senders)', async () => {
    const { deps } = await world();
    expect(await recordReceipt(deps, { messageId: 'someone-elses', delivered: true, at: '2026-11-23T10:00:05.000Z' })).toBe('unknown');
    const [day] = await deps.performance.days('parking-permit', 'application', '2026-11-23', '2026-11-23');
    expect(day.textsDelivered).toBe(0);
  });
});

describe('on the local platform', () => {
  it('records which texts reached the phone and which could not, on the case and in the published figures', async () => {
    const { platform, api } = await startTestPlatform({ rateLimit: [{ ...PUBLIC_LOOKUP_LIMIT, requests: 100_000 }] });
    try {
      const reached = (await api.submit(anApplication())).body.reference;
      const unreachable = (await api.submit(anApplication({ applicant: { phone: UNREACHABLE_PHONE } }))).body.reference;
      const deliveryOf = async (reference: string) => (await api.case(reference)).body.notifications.find((n: any) => n.milestone === 'received')?.delivery?.status;
      expect(await eventually(() => deliveryOf(reached), Boolean)).toBe('delivered');
      expect(await eventually(() => deliveryOf(unreachable), Boolean)).toBe('not-delivered');
      const figures = (await api.request('GET', '/performance.json')).body.journeys.find((row: any) => row.journey === 'application').last90Days;
      expect(figures).toMatchObject({ textsSent: 2, textsDelivered: 1, textsNotDelivered: 1 });
    } finally {
      await platform.stop();
    }
  });
});
