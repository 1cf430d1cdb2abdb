// The public view of one case: exactly one GetItem that reads only the public attributes, so
// nothing personal is ever fetched for it; and, for a case not decided yet, what its service
// publishes about cases like it (how long they take, where the queue is: no personal data). On the
// bare SDK client (no document client): its cold start is part of a citizen's wait, for the JSON
// status and the status page alike.
//
// What a service publishes changes when the scheduled run works it out again (every 15 minutes),
// so each function instance keeps it for a minute: a second GetItem on every lookup of an open
// case doubled the lookup's reads and most of its time over a bare GetItem (bench/README.md).
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ENV, requireEnv } from '../../environment';
import { CASE_TABLE, performanceSummaryKey } from './case-table';
import { journeySummary } from './performance-items';
import { PUBLIC_ATTRIBUTES, type PublicCaseFields } from '../../domain/cases/case';
import type { JourneySummary } from '../../domain/performance/performance';
import { needsSummary } from '../../domain/citizens/honest-dates';
import { logger } from './logger';

const db = new DynamoDBClient({});
const TableName = requireEnv(ENV.caseTable);
const ExpressionAttributeNames = Object.fromEntries(PUBLIC_ATTRIBUTES.map((name, i) => [`#p${i}`, name]));
const ProjectionExpression = Object.keys(ExpressionAttributeNames).join(', ');

/** How long an instance keeps what a service published (JOURNEY_SUMMARY_CACHE_SECONDS: tests that publish and look at once set 0). */
const SUMMARY_KEPT_MS = Number(process.env.JOURNEY_SUMMARY_CACHE_SECONDS ?? 60) * 1000;
const summaries = new Map<string, { readonly summary: JourneySummary | undefined; readonly until: number }>();

/** The case's public attributes, or undefined when there is no such case. */
export async function readPublicCase(reference: string): Promise<PublicCaseFields | undefined> {
  const out = await db.send(new GetItemCommand({ TableName, Key: { [CASE_TABLE.partitionKey]: { S: reference } }, ProjectionExpression, ExpressionAttributeNames }));
  return out.Item?.journey ? (unmarshall(out.Item) as PublicCaseFields) : undefined;
}

/**
 * What is published for the case's journey (lambdas/domain/performance/performance.ts), for a case its status
 * tells about it (one not yet decided); undefined otherwise, before anything is published, or when
 * it cannot be read: the estimate is extra, and a status without it is better than no status.
 */
export async function readJourneySummary(record: PublicCaseFields): Promise<JourneySummary | undefined> {
  if (!needsSummary(record)) return undefined;
  const key = performanceSummaryKey(record.service, record.journey);
  const kept = summaries.get(key);
  if (kept && kept.until > Date.now()) return kept.summary;
  try {
    const out = await db.send(new GetItemCommand({ TableName, Key: { [CASE_TABLE.partitionKey]: { S: key } } }));
    const summary = out.Item ? journeySummary(unmarshall(out.Item)) : undefined;
    if (SUMMARY_KEPT_MS > 0) summaries.set(key, { summary, until: Date.now() + SUMMARY_KEPT_MS });
    return summary;
  } catch (error) {
    logger.error('summary not read', { reference: record.reference, error: (error as Error)?.name });
    return undefined;
  }
}
