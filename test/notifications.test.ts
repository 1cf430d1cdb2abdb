// Milestone SMS citizens can rely on: once per milestone, in their language, never to an
// opted-out number, never holding up the journey, and never leaking a phone number into logs.
import { startTestPlatform, anApplication, eventually, type Api } from './support/platform';
import type { Platform } from '../local/platform';
import { invoke } from '../local/lambda-runtime';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG'; // every log line a journey writes, to search for personal data

let platform: Platform;
let api: Api;
const logged: string[] = [];
const restore: (() => void)[] = [];

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: any, ...rest: any[]) => {
      logged.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    restore.push(() => spy.mockRestore());
  }
  ({ platform, api } = await startTestPlatform());
});
afterAll(async () => {
  await platform.stop();
  restore.forEach((undo) => undo());
});

const notifications = async (reference: string) => (await api.case(reference)).body.notifications as any[];
const outboxFor = (phone: string) => platform.sns.outbox().filter((m) => m.phoneNumber === phone);

describe('milestone SMS', () => {
  it('lists each milestone notification on the case with its status and segments, in Welsh for a Welsh speaker', async () => {
    const phone = '+447700900201';
    const reference = (await api.submit(anApplication({ applicant: { phone, language: 'cy' } }))).body.reference;
    await api.stage(reference, 'awaiting-decision');
    await api.decide(reference, 'approve');
    await api.stage(reference, 'approved');
    await eventually(() => notifications(reference), (list) => list.filter((n) => n.status === 'sent').length === 2);
    await platform.sns.settled(); // and the SMS provider's receipts for them
    // each with the provider's id for it, and what its receipt said
    const sent = { channel: 'sms', status: 'sent', segments: expect.any(Number), at: expect.any(String), messageId: expect.any(String), delivery: { status: 'delivered', at: expect.any(String) } };
    expect(await notifications(reference)).toEqual([
      { event: `${reference}/received/0`, milestone: 'received', ...sent },
      { event: `${reference}/approved/3`, milestone: 'approved', ...sent },
    ]);
    const texts = outboxFor(phone).map((m) => m.message);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^Trwydded parcio preswylwyr: mae eich cais APP-/);
    expect(texts[1]).toMatch(/wedi'i gymeradwyo/);
    expect(outboxFor(phone).every((m) => m.smsType === 'Transactional')).toBe(true);
  });

  it('sends nothing new when the same milestone event arrives again, even at the same moment', async () => {
    const phone = '+447700900202';
    const reference = (await api.submit(anApplication({ applicant: { phone } }))).body.reference;
    await eventually(async () => outboxFor(phone).length, (n) => n === 1);
    const event = { event: `${reference}/received/0`, reference, journey: 'application', service: 'parking-permit', milestone: 'received', at: new Date().toISOString() };
    const delivery = { Records: [{ Sns: { Message: JSON.stringify(event) } }] };
    await Promise.all([invoke('notify/sms-notifier', delivery), invoke('notify/sms-notifier', delivery), invoke('notify/sms-notifier', delivery)]);
    expect(outboxFor(phone)).toHaveLength(1);
    expect((await notifications(reference)).filter((n) => n.milestone === 'received')).toHaveLength(1);
  });

  it('skips an opted-out number and records that it did', async () => {
    const phone = '+447700900203';
    platform.sns.optedOut.add(phone);
    const reference = (await api.submit(anApplication({ applicant: { phone } }))).body.reference;
    const listed = await eventually(() => notifications(reference), (list) => list.some((n) => n.status === 'opted-out'));
    expect(listed[0]).toMatchObject({ milestone: 'received', status: 'opted-out' });
    expect(outboxFor(phone)).toHaveLength(0);
  });

  it('lets a decision reach the citizen\'s status while the SMS provider is down, records the failure, and sends on redrive', async () => {
    const phone = '+447700900204';
    platform.sns.smsOutage = true;
    let reference: string;
    try {
      reference = (await api.submit(anApplication({ applicant: { phone } }))).body.reference;
      await api.stage(reference, 'awaiting-decision');
      await api.decide(reference, 'refuse', 'Not in the zone.');
      await api.stage(reference, 'refused');
      await platform.sns.settled();
      const failed = await notifications(reference);
      expect(failed.map((n) => `${n.milestone}:${n.status}`)).toEqual(['received:failed', 'refused:failed']);
      expect(platform.sns.deadLetters.filter((d) => d.message.includes(reference))).toHaveLength(2);
    } finally {
      platform.sns.smsOutage = false;
    }
    await platform.sns.redrive();
    const sent = await notifications(reference);
    expect(sent.map((n) => `${n.milestone}:${n.status}`)).toEqual(['received:sent', 'refused:sent']);
    expect(outboxFor(phone)).toHaveLength(2);
  });

  it('writes no phone number, name or date of birth into the logs of whole journeys', async () => {
    const reference = (await api.submit(anApplication({ applicant: { name: 'Ffion Llewelyn-Pryce', dateOfBirth: '1977-11-05', phone: '+447700900299' } }))).body.reference;
    await api.stage(reference, 'awaiting-decision');
    await api.decide(reference, 'request-information', 'Send your V5C.');
    await api.stage(reference, 'information-needed');
    await platform.settled();
    // what reached the terminal, and each function's log file (its log group in AWS)
    const files = readdirSync(platform.logsDir!).map((file) => readFileSync(path.join(platform.logsDir!, file), 'utf8'));
    const text = [...logged, ...files].join('\n');
    expect(text).toContain(reference); // the logs were captured
    for (const secret of ['7700900', 'Ffion', 'Llewelyn', '1977-11-05']) expect(text).not.toContain(secret);
  });
});
