// GET /status/{reference}: what a citizen sees. Exactly one GetItem that reads only the public
// attributes. Kept to the bare SDK client: its cold start is part of the citizen's wait.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ENV, requireEnv } from '../environment';
import { CASE_TABLE } from '../adapters/aws/case-table';
import { PUBLIC_ATTRIBUTES, type PublicCaseFields } from '../domain/case';
import { publicStatus } from '../domain/content';
import { chooseLanguage } from '../domain/language';
import { caseNotFound } from '../domain/errors';
import { header, httpHandler, json } from '../http/http';
import { requireReference } from '../http/reference';

const db = new DynamoDBClient({});
const TableName = requireEnv(ENV.caseTable);
const ExpressionAttributeNames = Object.fromEntries(PUBLIC_ATTRIBUTES.map((name, i) => [`#p${i}`, name]));
const ProjectionExpression = Object.keys(ExpressionAttributeNames).join(', ');

export const handler = httpHandler(async (event) => {
  const reference = requireReference(event);
  const out = await db.send(new GetItemCommand({ TableName, Key: { [CASE_TABLE.partitionKey]: { S: reference } }, ProjectionExpression, ExpressionAttributeNames }));
  if (!out.Item?.journey) throw caseNotFound(reference);
  const record = unmarshall(out.Item) as PublicCaseFields;
  const language = chooseLanguage(event.queryStringParameters?.lang, header(event, 'accept-language'), record.language);
  return json(200, publicStatus(record, language), { 'content-language': language, vary: 'Accept-Language' });
});
