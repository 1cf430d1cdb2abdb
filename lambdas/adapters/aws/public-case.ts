// The public view of one case: exactly one GetItem that reads only the public attributes, so
// nothing personal is ever fetched for it. On the bare SDK client (no document client): its cold
// start is part of a citizen's wait, for the JSON status and the status page alike.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ENV, requireEnv } from '../../environment';
import { CASE_TABLE } from './case-table';
import { PUBLIC_ATTRIBUTES, type PublicCaseFields } from '../../domain/case';

const db = new DynamoDBClient({});
const TableName = requireEnv(ENV.caseTable);
const ExpressionAttributeNames = Object.fromEntries(PUBLIC_ATTRIBUTES.map((name, i) => [`#p${i}`, name]));
const ProjectionExpression = Object.keys(ExpressionAttributeNames).join(', ');

/** The case's public attributes, or undefined when there is no such case. */
export async function readPublicCase(reference: string): Promise<PublicCaseFields | undefined> {
  const out = await db.send(new GetItemCommand({ TableName, Key: { [CASE_TABLE.partitionKey]: { S: reference } }, ProjectionExpression, ExpressionAttributeNames }));
  return out.Item?.journey ? (unmarshall(out.Item) as PublicCaseFields) : undefined;
}
