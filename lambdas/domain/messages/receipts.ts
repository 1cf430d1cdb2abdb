// The SMS provider's delivery receipts: whether each text reached the phone. A receipt names the
// provider's id for the text; the notifier remembered which case and milestone that was. The
// receipt goes on the case's record of the text and into the published figures, once each.
// Receipts for texts this platform did not send (the account's other senders) are left alone.
import type { NotificationRecord } from '../cases/case';
import { tally, type PerformanceDeps } from '../performance/performance-tally';
import type { CaseStore, Clock, Log, Metrics, SentTexts } from '../ports';

export interface Receipt {
  /** the provider's id for the text */
  readonly messageId: string;
  readonly delivered: boolean;
  /** when the provider said so (an ISO time) */
  readonly at: string;
}

export interface ReceiptDeps extends PerformanceDeps {
  readonly store: CaseStore;
  readonly sentTexts: SentTexts;
  readonly metrics: Metrics;
  readonly log: Log;
  readonly clock: Clock;
}

export type ReceiptOutcome = 'recorded' | 'already' | 'unknown';

export async function recordReceipt(deps: ReceiptDeps, receipt: Receipt): Promise<ReceiptOutcome> {
  const sent = await deps.sentTexts.find(receipt.messageId);
  if (!sent) return 'unknown';
  const delivery: NonNullable<NotificationRecord['delivery']> = { status: receipt.delivered ? 'delivered' : 'not-delivered', at: receipt.at };
  const { record, changed } = await deps.store.update(sent.reference, (current) => {
    const text = current.notifications.find((n) => n.event === sent.event);
    // (a text whose record is gone, or a receipt told twice: nothing to change)
    if (!text || text.delivery?.status === delivery.status) return undefined;
    return { set: { notifications: current.notifications.map((n) => (n.event === sent.event ? { ...n, delivery } : n)) } };
  });
  // counted even when the case had it already: a run that stopped after the write counts it now, once
  await tally(deps, record.service, record.journey, { kind: 'delivery', event: sent.event, on: sent.on, delivered: receipt.delivered });
  deps.log.info('delivery receipt', { reference: sent.reference, event: sent.event, delivered: receipt.delivered });
  return changed ? 'recorded' : 'already';
}
