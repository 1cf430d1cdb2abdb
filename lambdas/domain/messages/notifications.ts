// Texting the citizen at a milestone, in their language: at most once per milestone event (the
// event is claimed on the case before sending), opted-out numbers skipped, and every attempt
// recorded on the case. A failed send is recorded and thrown, so the asynchronous invocation
// retries it and then keeps it in a dead-letter queue; it never touches the journey.
import type { NotificationRecord } from '../cases/case';
import { METRIC } from '../shared/metrics';
import type { MilestoneEvent } from '../cases/milestones';
import type { CaseStore, Clock, Log, Metrics, SentTexts, SmsSender } from '../ports';
import { tally, type PerformanceDeps } from '../performance/performance-tally';
import { maskPhone, renderSms, smsSegments } from './sms';
import { ukDate } from '../shared/working-days';

export interface NotifierDeps extends PerformanceDeps {
  readonly store: CaseStore;
  /** which case each text was, for its delivery receipt (domain/messages/receipts.ts) */
  readonly sentTexts: SentTexts;
  readonly sms: SmsSender;
  readonly metrics: Metrics;
  readonly log: Log;
  readonly clock: Clock;
}

export type NotificationOutcome = NotificationRecord['status'] | 'skipped';

/** Longer than the notifier's Lambda timeout (10 s), so only a dead invocation's claim expires. */
export const SENDING_EXPIRES_MS = 60_000;

export async function notify(deps: NotifierDeps, event: MilestoneEvent): Promise<NotificationOutcome> {
  const record = await deps.store.get(event.reference);
  if (!record?.journey) return 'skipped';
  const text = renderSms(record, event.milestone);
  if (!text) return 'skipped';
  const entry = (status: NotificationRecord['status'], segments?: number): NotificationRecord => ({
    event: event.event,
    milestone: event.milestone,
    channel: 'sms',
    status,
    ...(segments ? { segments } : {}),
    at: deps.clock().toISOString(),
  });
  // Claim the event: a duplicate delivery finds it already claimed and sends nothing.
  const claim = await deps.store.update(event.reference, (current) => {
    const earlier = current.notifications.find((n) => n.event === event.event);
    // A claim older than the function's timeout was left by an invocation that died mid-send.
    const abandoned = earlier?.status === 'sending' && deps.clock().getTime() - Date.parse(earlier.at) > SENDING_EXPIRES_MS;
    if (earlier && earlier.status !== 'failed' && !abandoned) return undefined;
    const sending = entry('sending');
    // a retry of a failed send keeps its place in the list
    const notifications = earlier ? current.notifications.map((n) => (n.event === event.event ? sending : n)) : [...current.notifications, sending];
    return { set: { notifications } };
  }, { from: record });
  if (!claim.changed) return 'skipped';
  const segments = smsSegments(text).segments;
  let status: NotificationRecord['status'];
  let failure: unknown;
  let messageId: string | undefined;
  try {
    if (await deps.sms.isOptedOut(record.applicant.phone)) status = 'opted-out';
    else {
      messageId = await deps.sms.send(record.applicant.phone, text);
      status = 'sent';
    }
  } catch (error) {
    status = 'failed';
    failure = error;
  }
  if (messageId) await rememberText(deps, messageId, { reference: event.reference, event: event.event, on: ukDate(new Date(event.at)) });
  await deps.store.update(event.reference, (current) => ({
    set: {
      notifications: current.notifications.map((n) =>
        // a receipt that came first stays
        n.event === event.event ? { ...entry(status, status === 'sent' ? segments : undefined), ...(messageId ? { messageId } : {}), ...(n.delivery ? { delivery: n.delivery } : {}) } : n,
      ),
    },
  }), { from: claim.record });
  deps.metrics.count(status === 'sent' ? METRIC.smsSent : status === 'failed' ? METRIC.smsFailed : METRIC.smsOptedOut);
  // the published texts sent (and not sent), once per milestone event however often it is tried
  // (on the milestone's own day, so every attempt at one text lands in the one day's memory)
  if (status !== 'opted-out') await tally(deps, record.service, record.journey, { kind: 'text', event: event.event, on: ukDate(new Date(event.at)), sent: status === 'sent' });
  if (status === 'sent') deps.metrics.count(METRIC.smsSegments, segments);
  deps.log.info('notification', { reference: event.reference, milestone: event.milestone, status, segments });
  if (failure) {
    deps.log.error('sms not sent', { reference: event.reference, milestone: event.milestone, phone: maskPhone(record.applicant.phone), error: (failure as Error)?.name });
    throw failure;
  }
  return status;
}

/**
 * Remembers which case a text was, for its delivery receipt. The text has gone: failing here must
 * not fail the notification (a retry would send it again), so its receipt is only left unmatched.
 */
async function rememberText(deps: NotifierDeps, messageId: string, text: Parameters<SentTexts['remember']>[1]): Promise<void> {
  try {
    await deps.sentTexts.remember(messageId, text);
  } catch (error) {
    deps.log.error('sent text not remembered: its delivery receipt will not be matched', { reference: text.reference, error: (error as Error)?.name });
  }
}
