// The local SNS: Publish to the milestone topic fans out to the local subscribers that match
// their filter policies (delivered asynchronously and retried, as Lambda's asynchronous
// invocation does); Publish to a phone number lands in the outbox, a file a developer can read.
// Deliveries under way and dead letters are journalled on disk, so a restart (even after a
// SIGKILL) delivers what was queued and still lists, and redrives, what failed.
import { appendFileSync, mkdirSync, readFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import { smsSegments } from '../lambdas/domain/messages/sms';
import type { UsageMeter } from './usage';

export type FilterPolicy = Readonly<Record<string, readonly string[]>>;

export interface Subscriber {
  readonly topicArn: string;
  /** names the subscription; a delivery journalled before a restart goes to the subscriber of that name */
  readonly name: string;
  readonly filterPolicy?: FilterPolicy;
  readonly deliver: (event: SNSEvent) => Promise<unknown>;
  /** the function ARN ListSubscriptions shows; one named after the subscriber unless given */
  readonly endpoint?: string;
}

export interface DeadLetter {
  readonly id: string;
  readonly subscriber: string;
  readonly message: string;
  readonly error: string;
  readonly at: string;
  readonly event: SNSEvent;
}

/** One message on its way to one subscriber. */
interface Delivery {
  readonly id: string;
  readonly subscriber: string;
  readonly message: string;
  readonly event: SNSEvent;
}

/** A line of the deliveries journal: the last line for an id says where that delivery is. */
type DeliveryLine = (Delivery & { readonly status: 'queued' }) | { readonly id: string; readonly status: 'done' | 'redriven' } | (DeadLetter & { readonly status: 'dead' });

export interface OutboxMessage {
  readonly messageId: string;
  readonly phoneNumber: string;
  readonly message: string;
  readonly smsType?: string;
  readonly at: string;
}

export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const RETRY_DELAYS_MS = [200, 1000];

/** A number (from Ofcom's range for drama) the local SMS provider takes a text for but cannot reach: its receipt says not delivered. */
export const UNREACHABLE_PHONE = '+447700900999';

export interface LocalSnsOptions {
  /** where deliveries under way and dead letters are journalled; in memory only if not given */
  readonly deliveriesFile?: string;
  /** told of each topic publish (with its deliveries) and each text (with its segments) */
  readonly meter?: Pick<UsageMeter, 'published' | 'texted'>;
}

export class LocalSns {
  private readonly subscribers: Subscriber[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** deliveries queued and not yet done or dead: in the journal, and here to compact it */
  private readonly queued = new Map<string, Delivery>();
  /** deliveries journalled as queued before a restart, waiting for their subscriber to subscribe */
  private readonly recovered: Delivery[] = [];
  private readonly deliveriesFile?: string;
  private readonly meter?: LocalSnsOptions['meter'];
  private appended = 0;
  readonly optedOut = new Set<string>();
  /** deliveries that failed after their retries, as the on-failure queue keeps them in AWS */
  readonly deadLetters: DeadLetter[] = [];
  /** fault injection for tests: the SMS provider is down */
  smsOutage = false;
  /** fault injection for tests: the topic is unreachable */
  topicOutage = false;
  /**
   * Told of each text the SMS provider takes, as its delivery-status log tells in AWS (the local
   * platform hands it to the delivery receipts function); a text to UNREACHABLE_PHONE is not delivered.
   */
  onText?: (text: { readonly messageId: string; readonly phoneNumber: string; readonly delivered: boolean; readonly at: string }) => Promise<void>;

  constructor(
    private readonly outboxFile: string,
    options: LocalSnsOptions = {},
  ) {
    mkdirSync(path.dirname(outboxFile), { recursive: true });
    this.deliveriesFile = options.deliveriesFile;
    this.meter = options.meter;
    if (this.deliveriesFile) this.load(this.deliveriesFile);
  }

  /** Reads the deliveries journal: what was queued is delivered again, what was dead stays dead. */
  private load(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const known = new Map<string, Delivery & { status: DeliveryLine['status']; error?: string; at?: string }>();
    if (existsSync(file)) {
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        if (!text) continue;
        let line: DeliveryLine;
        try {
          line = JSON.parse(text);
        } catch {
          continue; // a line cut short by a crash: the line before it for that delivery stands
        }
        const earlier = known.get(line.id);
        if ('event' in line) known.set(line.id, { ...line });
        else if (earlier) earlier.status = line.status;
      }
    }
    for (const delivery of known.values()) {
      const { id, subscriber, message, event } = delivery;
      // a redrive under way when the platform stopped is as good as queued
      if (delivery.status === 'queued' || delivery.status === 'redriven') this.recovered.push({ id, subscriber, message, event });
      else if (delivery.status === 'dead') this.deadLetters.push({ id, subscriber, message, event, error: delivery.error ?? 'Error', at: delivery.at ?? '' });
    }
    for (const delivery of this.recovered) this.queued.set(delivery.id, delivery);
    this.compact();
  }

  private journal(line: DeliveryLine): void {
    if (!this.deliveriesFile) return;
    appendFileSync(this.deliveriesFile, `${JSON.stringify(line)}\n`);
    // keep the file in proportion to what it describes
    if (++this.appended > 2000 && this.appended > 4 * (this.queued.size + this.deadLetters.length)) this.compact();
  }

  private compact(): void {
    if (!this.deliveriesFile) return;
    this.appended = 0;
    const lines = [
      ...[...this.queued.values()].map((delivery): DeliveryLine => ({ ...delivery, status: 'queued' })),
      ...this.deadLetters.map((letter): DeliveryLine => ({ ...letter, status: 'dead' })),
    ];
    const temporary = `${this.deliveriesFile}.${process.pid}.tmp`;
    writeFileSync(temporary, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    renameSync(temporary, this.deliveriesFile);
  }

  subscribe(subscriber: Subscriber): void {
    this.subscribers.push(subscriber);
    // deliveries queued for it before a restart go now (the notifier sends once per milestone event)
    const waiting = this.recovered.splice(0);
    for (const delivery of waiting) {
      if (delivery.subscriber === subscriber.name) this.track(this.deliver(subscriber, delivery));
      else this.recovered.push(delivery);
    }
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    delivery.finally(() => this.inFlight.delete(delivery));
  }

  outbox(): OutboxMessage[] {
    if (!existsSync(this.outboxFile)) return [];
    return readFileSync(this.outboxFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutboxMessage);
  }

  /** Deliveries (and receipts) under way. */
  pending(): number {
    return this.inFlight.size;
  }

  /** Resolves when every delivery started so far has finished (including retries). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  publish(params: URLSearchParams): { messageId: string } {
    const messageId = randomUUID();
    const message = params.get('Message');
    if (message === null) throw new SnsError('InvalidParameter', 'Invalid parameter: Message');
    const attributes = messageAttributes(params);
    const phoneNumber = params.get('PhoneNumber');
    if (phoneNumber) {
      if (this.smsOutage) throw new SnsError('InternalError', 'The SMS provider is unavailable', 500);
      if (!/^\+[1-9]\d{7,14}$/.test(phoneNumber)) throw new SnsError('InvalidParameter', 'Invalid parameter: PhoneNumber');
      const entry: OutboxMessage = { messageId, phoneNumber, message, smsType: attributes['AWS.SNS.SMS.SMSType'], at: new Date().toISOString() };
      appendFileSync(this.outboxFile, `${JSON.stringify(entry)}\n`);
      this.meter?.texted(smsSegments(message).segments);
      // its receipt is one of the deliveries settled() waits for
      const receipt = this.onText?.({ messageId, phoneNumber, delivered: phoneNumber !== UNREACHABLE_PHONE, at: entry.at });
      if (receipt) this.track(receipt);
      return { messageId };
    }
    const topicArn = params.get('TopicArn') ?? '';
    if (this.topicOutage) throw new SnsError('InternalError', 'The topic is unavailable', 500);
    const matching = this.subscribers.filter((s) => s.topicArn === topicArn && matches(s.filterPolicy, attributes));
    if (!this.subscribers.some((s) => s.topicArn === topicArn)) throw new SnsError('NotFound', 'Topic does not exist', 404);
    this.meter?.published(matching.length);
    for (const subscriber of matching) {
      const delivery: Delivery = { id: randomUUID(), subscriber: subscriber.name, message, event: snsEvent(subscriptionArn(subscriber), topicArn, messageId, message, attributes) };
      // journalled before Publish answers: once the publisher has its MessageId, the delivery survives a crash
      this.queued.set(delivery.id, delivery);
      this.journal({ ...delivery, status: 'queued' });
      this.track(this.deliver(subscriber, delivery));
    }
    return { messageId };
  }

  private async deliver(subscriber: Subscriber, delivery: Delivery): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    for (let attempt = 0; ; attempt++) {
      try {
        await subscriber.deliver(delivery.event);
        this.queued.delete(delivery.id);
        this.journal({ id: delivery.id, status: 'done' });
        return;
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          const letter: DeadLetter = { ...delivery, error: (error as Error)?.name ?? 'Error', at: new Date().toISOString() };
          this.queued.delete(delivery.id);
          this.deadLetters.push(letter);
          this.journal({ ...letter, status: 'dead' });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      }
    }
  }

  /** Delivers every dead letter again (as an SQS redrive would), and forgets those that succeed. */
  async redrive(): Promise<number> {
    const letters = this.deadLetters.splice(0);
    for (const letter of letters) {
      const subscriber = this.subscribers.find((s) => s.name === letter.subscriber);
      if (!subscriber) {
        this.deadLetters.push(letter); // nobody to deliver it to yet: it stays a dead letter
        continue;
      }
      const { id, message, event } = letter;
      this.queued.set(id, { id, subscriber: subscriber.name, message, event });
      this.journal({ id, status: 'redriven' });
      await this.deliver(subscriber, { id, subscriber: subscriber.name, message, event });
    }
    await this.settled();
    return letters.length;
  }

  /** The SNS query protocol (form-encoded in, XML out), for the SDK's AWS_ENDPOINT_URL_SNS. */
  handle(params: URLSearchParams): string {
    const action = params.get('Action') ?? '';
    switch (action) {
      case 'Publish': {
        const { messageId } = this.publish(params);
        return response(action, `<MessageId>${messageId}</MessageId>`);
      }
      case 'CheckIfPhoneNumberIsOptedOut': {
        const phone = params.get('phoneNumber') ?? '';
        return response(action, `<isOptedOut>${this.optedOut.has(phone)}</isOptedOut>`);
      }
      // The read operations an engineer uses (`aws sns list-topics`): every topic and subscription
      // fits in one page here, so there is never a NextToken.
      case 'ListTopics': {
        const topics = [...new Set(this.subscribers.map((s) => s.topicArn))];
        return response(action, `<Topics>${topics.map((topicArn) => `<member><TopicArn>${escapeXml(topicArn)}</TopicArn></member>`).join('')}</Topics>`);
      }
      case 'ListSubscriptions':
        return response(action, subscriptionsXml(this.subscribers));
      case 'ListSubscriptionsByTopic': {
        const topicArn = params.get('TopicArn') ?? '';
        const subscribers = this.subscribers.filter((s) => s.topicArn === topicArn);
        if (subscribers.length === 0) throw new SnsError('NotFound', 'Topic does not exist', 404);
        return response(action, subscriptionsXml(subscribers));
      }
      default:
        throw new SnsError('InvalidAction', `The local SNS does not do ${action}`);
    }
  }
}

export function errorXml(error: SnsError): string {
  return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function response(action: string, result: string): string {
  return `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The message's attributes by name, each name the publisher's own key (`__proto__` too), as SNS delivers them. */
function messageAttributes(params: URLSearchParams): Record<string, string> {
  const attributes: [string, string][] = [];
  for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
    attributes.push([params.get(`MessageAttributes.entry.${i}.Name`)!, params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '']);
  }
  return Object.fromEntries(attributes);
}

function matches(policy: FilterPolicy | undefined, attributes: Record<string, string>): boolean {
  if (!policy) return true;
  return Object.entries(policy).every(([name, allowed]) => Object.hasOwn(attributes, name) && allowed.includes(attributes[name]));
}

/** A subscription's ARN: its topic's and its subscriber's name, stable across restarts. */
const subscriptionArn = (subscriber: Subscriber): string => `${subscriber.topicArn}:${subscriber.name}`;

function subscriptionsXml(subscribers: readonly Subscriber[]): string {
  const members = subscribers.map((subscriber) => {
    // arn:aws:sns:<region>:<account>:<topic>
    const [, , , region, account] = subscriber.topicArn.split(':');
    const endpoint = subscriber.endpoint ?? `arn:aws:lambda:${region}:${account}:function:${subscriber.name}`;
    const fields = { SubscriptionArn: subscriptionArn(subscriber), Owner: account, Protocol: 'lambda', Endpoint: endpoint, TopicArn: subscriber.topicArn };
    return `<member>${Object.entries(fields)
      .map(([name, value]) => `<${name}>${escapeXml(value ?? '')}</${name}>`)
      .join('')}</member>`;
  });
  return `<Subscriptions>${members.join('')}</Subscriptions>`;
}

function snsEvent(subscription: string, topicArn: string, messageId: string, message: string, attributes: Record<string, string>): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscription,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: topicArn,
          Subject: '',
          Message: message,
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { Type: 'String', Value: v }])),
        },
      },
    ],
  };
}

const escapeXml = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
