// What every submission handler (applications, renewals, appeals) is wired to: the case store,
// idempotency keys, the journey's state machine and the milestone topic, created once.
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { requireEnv } from '../domain/config';
import { caseStoreFromEnv, documentClient, type CaseStore } from '../domain/case-store';
import { IdempotencyStore } from '../domain/idempotency';
import { milestoneEvent, publishMilestone } from '../domain/milestones';
import type { SubmissionDeps } from '../domain/submissions';
import type { CaseRecord } from '../domain/case';
import type { Journey } from '../domain/reference';
import { stateMachineEnv } from '../journeys';
import { startJourney } from './journeys';
import { json } from './http';

export function submissionWiring(journey: Journey): { store: CaseStore; deps: (now: Date) => SubmissionDeps } {
  const table = requireEnv('TABLE_NAME');
  const topic = requireEnv('MILESTONE_TOPIC_ARN');
  const stateMachine = requireEnv(stateMachineEnv(journey));
  const db = documentClient();
  const store = caseStoreFromEnv(db);
  const idempotency = new IdempotencyStore(db, table);
  const sfn = new SFNClient({});
  const sns = new SNSClient({});
  return {
    store,
    deps: (now) => ({
      store,
      idempotency,
      now,
      startJourney: (input) => startJourney(sfn, stateMachine, input),
      // always "received", even when a retry finds the case already moved on (or on hold)
      announce: (created) => publishMilestone(sns, topic, milestoneEvent(created, 'received', '0', created.createdAt)),
    }),
  };
}

export function accepted(record: CaseRecord, replay: boolean): APIGatewayProxyResult {
  return json(
    202,
    { reference: record.reference, status: record.stage, ...(record.expectedBy ? { expectedBy: record.expectedBy } : {}), statusUrl: `/status/${record.reference}` },
    replay ? { 'idempotent-replay': 'true' } : {},
  );
}
