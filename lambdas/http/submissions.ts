// The reply to every accepted submission (applications, renewals, appeals).
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { CaseRecord } from '../domain/cases/case';
import { json } from './http';

export function accepted(record: CaseRecord, replay: boolean): APIGatewayProxyResult {
  return json(
    202,
    { reference: record.reference, stage: record.stage, ...(record.expectedBy ? { expectedBy: record.expectedBy } : {}), statusUrl: `/status/${record.reference}` },
    replay ? { 'idempotent-replay': 'true' } : {},
  );
}
