// POST /applications: a citizen applies. Validates at the edge, stores the case, starts the
// application journey and answers 202 with the reference.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { requireEnv } from '../domain/config';
import { CaseStore } from '../domain/case-store';
import { IdempotencyStore, checkIdempotencyKey } from '../domain/idempotency';
import { validateSubmission } from '../domain/application-form';
import { submitCase } from '../domain/submissions';
import { milestoneFor, publishMilestone } from '../domain/milestones';
import { ukDate } from '../domain/working-days';
import { header, httpHandler, json, jsonBody } from '../http/http';
import { startJourney } from '../http/journeys';

const TABLE = requireEnv('TABLE_NAME');
const TOPIC = requireEnv('MILESTONE_TOPIC_ARN');
const STATE_MACHINE = requireEnv('APPLICATION_STATE_MACHINE_ARN');
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const store = new CaseStore(db, TABLE);
const idempotency = new IdempotencyStore(db, TABLE);
const sfn = new SFNClient({});
const sns = new SNSClient({});

export const handler = httpHandler(async (event) => {
  const body = jsonBody(event);
  const key = checkIdempotencyKey(header(event, 'idempotency-key'));
  const now = new Date();
  const submission = validateSubmission(body, ukDate(now));
  const { record, replay } = await submitCase(
    {
      store,
      idempotency,
      now,
      startJourney: (input) => startJourney(sfn, STATE_MACHINE, input),
      announce: (created) => publishMilestone(sns, TOPIC, milestoneFor(created)),
    },
    'application',
    submission,
    key,
  );
  return json(202, { reference: record.reference, status: record.stage, statusUrl: `/status/${record.reference}` }, replay ? { 'idempotent-replay': 'true' } : {});
});
