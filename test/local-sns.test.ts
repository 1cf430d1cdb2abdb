// The local SNS keeps nothing that matters only in memory: a delivery queued when the platform
// died is delivered at the next start, and dead letters are still listed and redrivable after a
// restart. It also answers the read operations an engineer uses, through the real AWS SDK.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListSubscriptionsByTopicCommand, ListSubscriptionsCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { LocalSns } from '../local/sns';
import { afterRestart, startTestPlatform, anApplication, eventually, type Api } from './support/platform';
import type { Platform } from '../local/platform';

const TOPIC = 'arn:aws:sns:eu-west-2:000000000000:journey-milestones';


const milestone = (reference: string) =>
  new URLSearchParams({
    Action: 'Publish',
    TopicArn: TOPIC,
    Message: JSON.stringify({ reference, milestone: 'received' }),
    'MessageAttributes.entry.1.Name': 'milestone',
    'MessageAttributes.entry.1.Value.DataType': 'String',
    'MessageAttributes.entry.1.Value.StringValue': 'received',
  });

describe('deliveries across a restart', () => {
  const files = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'local-sns-'));
    return [path.join(dir, 'outbox.jsonl'), { deliveriesFile: path.join(dir, 'deliveries.jsonl') }] as const;
  };

  it('delivers again, at the next start, what was queued when the platform died, and nothing it had delivered', async () => {
    const [outbox, options] = files();
    const before = new LocalSns(outbox, options);
    let hung = false;
    before.subscribe({
      topicArn: TOPIC,
      name: 'sms-notifier',
      // the first message is delivered; the second is under way when the process dies
      deliver: async (event) => {
        if (!event.Records[0].Sns.Message.includes('APP-SECOND')) return;
        hung = true;
        await new Promise(() => undefined);
      },
    });
    before.publish(milestone('APP-FIRST'));
    await before.settled();
    const { messageId } = before.publish(milestone('APP-SECOND'));
    await eventually(async () => hung, Boolean, 5000, 'the second delivery to start');

    // a new process on the same files, as after a SIGKILL
    const after = new LocalSns(outbox, options);
    const delivered: SNSEvent[] = [];
    after.subscribe({ topicArn: TOPIC, name: 'sms-notifier', deliver: async (event) => void delivered.push(event) });
    await after.settled();
    expect(delivered.map((event) => event.Records[0].Sns.MessageId)).toEqual([messageId]); // the same event: the notifier sends once per milestone
    expect(JSON.parse(delivered[0].Records[0].Sns.Message).reference).toBe('APP-SECOND');

    // once delivered, a third start has nothing to deliver
    const third = new LocalSns(outbox, options);
    const again: SNSEvent[] = [];
    third.subscribe({ topicArn: TOPIC, name: 'sms-notifier', deliver: async (event) => void again.push(event) });
    await third.settled();
    expect(again).toEqual([]);
  });

  it('keeps dead letters across a restart, and a redrive after it delivers and forgets them', async () => {
    const [outbox, options] = files();
    const before = new LocalSns(outbox, options);
    before.subscribe({ topicArn: TOPIC, name: 'sms-notifier', deliver: async () => Promise.reject(Object.assign(new Error('down'), { name: 'ProviderDown' })) });
    before.publish(milestone('APP-DEAD'));
    await before.settled();
    expect(before.deadLetters).toHaveLength(1);

    const after = new LocalSns(outbox, options);
    expect(after.deadLetters).toMatchObject([{ subscriber: 'sms-notifier', error: 'ProviderDown', message: expect.stringContaining('APP-DEAD') }]);
    const delivered: SNSEvent[] = [];
    after.subscribe({ topicArn: TOPIC, name: 'sms-notifier', deliver: async (event) => void delivered.push(event) });
    expect(await after.redrive()).toBe(1);
    expect(delivered).toHaveLength(1);
    expect(after.deadLetters).toEqual([]);
    expect(new LocalSns(outbox, options).deadLetters).toEqual([]);
  });
});

describe('the local SNS of a running platform', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'journey-sns-'));
  let platform: Platform;
  let api: Api;
  let stopped = false;
  beforeAll(async () => {
    ({ platform, api } = await startTestPlatform({ dataDir }));
  });
  afterAll(async () => {
    if (!stopped) await platform.stop();
  });

  it('lists its topics and subscriptions in the SNS query protocol, to the AWS SDK', async () => {
    const sns = new SNSClient({ endpoint: platform.awsEndpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const { Topics } = await sns.send(new ListTopicsCommand({}));
      expect(Topics).toEqual([{ TopicArn: TOPIC }]);
      const { Subscriptions } = await sns.send(new ListSubscriptionsCommand({}));
      expect(Subscriptions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ TopicArn: TOPIC, Protocol: 'lambda', Owner: '000000000000', SubscriptionArn: expect.stringMatching(/^arn:aws:sns:eu-west-2:000000000000:journey-milestones:/), Endpoint: expect.stringMatching(/^arn:aws:lambda:/) }),
        ]),
      );
      const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC }));
      expect(byTopic.Subscriptions).toEqual(Subscriptions);
      await expect(sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: `${TOPIC}-missing` }))).rejects.toMatchObject({ name: 'NotFoundException' });
    } finally {
      sns.destroy();
    }
  });

  it('still lists dead letters after a restart, and redrives them to the citizen', async () => {
    const phone = '+447700900311';
    platform.sns.smsOutage = true;
    const reference = (await api.submit(anApplication({ applicant: { phone } }))).body.reference;
    try {
      await api.stage(reference, 'awaiting-decision');
      await platform.sns.settled();
      expect(platform.sns.deadLetters.filter((letter) => letter.message.includes(reference)).length).toBeGreaterThan(0);
    } finally {
      platform.sns.smsOutage = false;
    }
    stopped = true;
    await platform.stop();

    await afterRestart(dataDir, async (restarted) => {
      const listed = await restarted.api.request('GET', '/_local/dead-letters');
      const letters = listed.body.deadLetters.filter((letter: any) => letter.message.includes(reference));
      expect(letters.length).toBeGreaterThan(0);
      expect(letters[0]).toMatchObject({ subscriber: expect.any(String), error: expect.any(String), at: expect.any(String) });
      expect((await restarted.api.request('POST', '/_local/dead-letters/redrive')).status).toBe(202);
      const texts = () => restarted.platform.sns.outbox().filter((message) => message.phoneNumber === phone).length;
      // generous: on a busy machine the restarted platform loads the notifier afresh first
      await eventually(async () => texts(), (sent) => sent === letters.length, 25_000, 'the redriven texts');
      expect((await restarted.api.request('GET', '/_local/dead-letters')).body.deadLetters).toEqual([]);
    });
  }, 60_000);
});
