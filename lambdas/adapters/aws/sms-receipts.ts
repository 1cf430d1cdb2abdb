// The SMS provider's delivery receipts as SNS writes them: CloudWatch Logs delivers the lines of
// its delivery-status log groups (…/DirectPublishToPhoneNumber and …/Failure) base64-encoded and
// gzipped. Each line is JSON: {"notification":{"messageId","timestamp"},"delivery":{…, "destination":
// the phone number},"status":"SUCCESS"|"FAILURE"}. Only the message id, the status and the time are
// read; the number in it is never kept or logged.
import { gunzipSync } from 'node:zlib';
import type { Receipt } from '../../domain/messages/receipts';

export interface LogsEvent {
  readonly awslogs: { readonly data: string };
}

interface LogsData {
  readonly messageType?: string;
  readonly logEvents?: readonly { readonly timestamp?: number; readonly message: string }[];
}

/** The receipts in a CloudWatch Logs subscription event; lines that are not receipts are skipped. */
export function receiptsOf(event: LogsEvent): Receipt[] {
  const data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as LogsData;
  // CloudWatch Logs checks the subscription with a control message first
  if (data.messageType === 'CONTROL_MESSAGE') return [];
  const receipts: Receipt[] = [];
  for (const line of data.logEvents ?? []) {
    let parsed: { notification?: { messageId?: unknown; timestamp?: unknown }; status?: unknown };
    try {
      parsed = JSON.parse(line.message);
    } catch {
      continue;
    }
    const messageId = parsed.notification?.messageId;
    if (typeof messageId !== 'string' || (parsed.status !== 'SUCCESS' && parsed.status !== 'FAILURE')) continue;
    // SNS writes "2026-11-23 10:00:01.123" in UTC
    const written = typeof parsed.notification?.timestamp === 'string' ? Date.parse(`${parsed.notification.timestamp.replace(' ', 'T')}Z`) : Number.NaN;
    const at = new Date(Number.isNaN(written) ? (line.timestamp ?? Date.now()) : written).toISOString();
    receipts.push({ messageId, delivered: parsed.status === 'SUCCESS', at });
  }
  return receipts;
}
