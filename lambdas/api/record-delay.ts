// POST /cases/{reference}/delay {reason, newDate}: a caseworker explains why a case is late.
import { SNSClient } from '@aws-sdk/client-sns';
import { requireEnv } from '../domain/config';
import { caseStoreFromEnv } from '../domain/case-store';
import { checkDelay, recordDelay } from '../domain/delays';
import { milestoneEvent, publishMilestone } from '../domain/milestones';
import { ukDate } from '../domain/working-days';
import { caseworker, httpHandler, json, jsonBody } from '../http/http';
import { requireReference } from '../http/reference';

const store = caseStoreFromEnv();
const sns = new SNSClient({});
const TOPIC = requireEnv('MILESTONE_TOPIC_ARN');

export const handler = httpHandler(async (event) => {
  const who = caseworker(event);
  const reference = requireReference(event);
  const now = new Date();
  const request = checkDelay(jsonBody(event), ukDate(now));
  const record = await recordDelay(store, reference, who.id, request, now);
  await publishMilestone(sns, TOPIC, milestoneEvent(record, 'delayed', `audit-${record.audit.length}`, now.toISOString()));
  return json(200, { reference, delay: record.delay, expectedBy: record.expectedBy });
});
