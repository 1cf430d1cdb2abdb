// The local SNS: Publish to the milestone topic fans out to the local subscribers that match
// their filter policies (delivered asynchronously and retried, as Lambda's asynchronous
// invocation does); Publish to a phone number lands in the outbox, a file a developer can read.
import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';

export type FilterPolicy = Readonly<Record<string, readonly string[]>>;

export interface Subscriber {
  readonly topicArn: string;
  readonly name: string;
  readonly filterPolicy?: FilterPolicy;
  readonly deliver: (event: SNSEvent) => Promise<unknown>;
}

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

export class LocalSns {
  private readonly subscribers: Subscriber[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  readonly optedOut = new Set<string>();
  /** deliveries that failed after their retries, as the on-failure queue keeps them in AWS */
  readonly deadLetters: { subscriber: string; message: string; error: string; at: string; event: SNSEvent }[] = [];
  /** fault injection for tests: the SMS provider is down */
  smsOutage = false;
  /** fault injection for tests: the topic is unreachable */
  topicOutage = false;

  constructor(private readonly outboxFile: string) {
    mkdirSync(path.dirname(outboxFile), { recursive: true });
  }

  subscribe(subscriber: Subscriber): void {
    this.subscribers.push(subscriber);
  }

  outbox(): OutboxMessage[] {
    if (!existsSync(this.outboxFile)) return [];
    return readFileSync(this.outboxFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutboxMessage);
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
      return { messageId };
    }
    const topicArn = params.get('TopicArn') ?? '';
    if (this.topicOutage) throw new SnsError('InternalError', 'The topic is unavailable', 500);
    const matching = this.subscribers.filter((s) => s.topicArn === topicArn && matches(s.filterPolicy, attributes));
    if (!this.subscribers.some((s) => s.topicArn === topicArn)) throw new SnsError('NotFound', 'Topic does not exist', 404);
    for (const subscriber of matching) {
      const event = snsEvent(topicArn, messageId, message, attributes);
      const delivery = this.deliver(subscriber, event, message);
      this.inFlight.add(delivery);
      delivery.finally(() => this.inFlight.delete(delivery));
    }
    return { messageId };
  }

  private async deliver(subscriber: Subscriber, event: SNSEvent, message: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    for (let attempt = 0; ; attempt++) {
      try {
        await subscriber.deliver(event);
        return;
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          this.deadLetters.push({ subscriber: subscriber.name, message, error: (error as Error)?.name ?? 'Error', at: new Date().toISOString(), event });
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
      if (subscriber) await this.deliver(subscriber, letter.event, letter.message);
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

function messageAttributes(params: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
    attributes[params.get(`MessageAttributes.entry.${i}.Name`)!] = params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
  }
  return attributes;
}

function matches(policy: FilterPolicy | undefined, attributes: Record<string, string>): boolean {
  if (!policy) return true;
  return Object.entries(policy).every(([name, allowed]) => attributes[name] !== undefined && allowed.includes(attributes[name]));
}

function snsEvent(topicArn: string, messageId: string, message: string, attributes: Record<string, string>): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:local`,
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
