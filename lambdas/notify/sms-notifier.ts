// Subscribed to the milestone topic: texts the citizen in their language. At most once per
// milestone event (the event is claimed on the case before sending), opted-out numbers are
// skipped, and every attempt is recorded on the case. A failure is recorded and retried by the
// asynchronous invocation; it never touches the journey.
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SNSEvent } from 'aws-lambda';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { caseStoreFromEnv } from '../domain/case-store';
import { maskPhone, renderSms, smsSegments } from '../domain/sms';
import type { MilestoneEvent } from '../domain/milestones';
import { METRIC, METRICS_NAMESPACE, METRIC_SERVICES } from '../domain/metrics';
import type { NotificationRecord } from '../domain/case';

const logger = new Logger({ serviceName: METRIC_SERVICES.notifier });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRIC_SERVICES.notifier });
const store = caseStoreFromEnv();
const sns = new SNSClient({});

type Outcome = NotificationRecord['status'] | 'skipped';

/** Longer than the notifier's Lambda timeout (10 s), so only a dead invocation's claim expires. */
const SENDING_EXPIRES_MS = 60_000;

export async function notify(event: MilestoneEvent): Promise<Outcome> {
  const record = await store.get(event.reference);
  if (!record?.journey) return 'skipped';
  const text = renderSms(record, event.milestone);
  if (!text) return 'skipped';
  // Claim the event: a duplicate delivery finds it already claimed and sends nothing.
  const claim = await store.update(event.reference, (current) => {
    const earlier = current.notifications.find((n) => n.event === event.event);
    // A claim older than the function's timeout was left by an invocation that died mid-send.
    const abandoned = earlier?.status === 'sending' && Date.now() - Date.parse(earlier.at) > SENDING_EXPIRES_MS;
    if (earlier && earlier.status !== 'failed' && !abandoned) return undefined;
    const sending = entry(event, 'sending', undefined);
    // a retry of a failed send keeps its place in the list
    const notifications = earlier ? current.notifications.map((n) => (n.event === event.event ? sending : n)) : [...current.notifications, sending];
    return { set: { notifications } };
  });
  if (!claim.changed) return 'skipped';
  const segments = smsSegments(text).segments;
  let status: NotificationRecord['status'];
  let failure: unknown;
  try {
    const { isOptedOut } = await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: record.applicant.phone }));
    if (isOptedOut) status = 'opted-out';
    else {
      await sns.send(
        new PublishCommand({
          PhoneNumber: record.applicant.phone,
          Message: text,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
      status = 'sent';
    }
  } catch (error) {
    status = 'failed';
    failure = error;
  }
  await store.update(event.reference, (current) => ({
    set: { notifications: current.notifications.map((n) => (n.event === event.event ? entry(event, status, status === 'sent' ? segments : undefined) : n)) },
  }));
  metrics.addMetric(status === 'sent' ? METRIC.smsSent : status === 'failed' ? METRIC.smsFailed : METRIC.smsOptedOut, MetricUnit.Count, 1);
  if (status === 'sent') metrics.addMetric(METRIC.smsSegments, MetricUnit.Count, segments);
  metrics.publishStoredMetrics(); // only when something was sent, skipped deliveries count nothing
  logger.info('notification', { reference: event.reference, milestone: event.milestone, status, segments });
  if (failure) {
    logger.error('sms not sent', { reference: event.reference, milestone: event.milestone, phone: maskPhone(record.applicant.phone), error: (failure as Error)?.name });
    throw failure;
  } // recorded; the asynchronous invocation retries, then the dead-letter queue keeps it
  return status;
}

function entry(event: MilestoneEvent, status: NotificationRecord['status'], segments: number | undefined): NotificationRecord {
  return { event: event.event, milestone: event.milestone, channel: 'sms', status, ...(segments ? { segments } : {}), at: new Date().toISOString() };
}

export const handler = middy(async (event: SNSEvent) => {
  for (const record of event.Records) {
    await notify(JSON.parse(record.Sns.Message) as MilestoneEvent);
  }
}).use(injectLambdaContext(logger));
