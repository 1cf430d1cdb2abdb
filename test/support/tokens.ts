// Reads the task token a journey waits on straight from the case, as the decision API does
// (the API never shows it).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '../../local/platform';

export async function tokenOf(on: Platform, reference: string): Promise<string> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: on.dynamoEndpoint }));
  try {
    const out = await db.send(new GetCommand({ TableName: on.tableName, Key: { reference }, ConsistentRead: true }));
    return out.Item?.taskToken ?? '';
  } finally {
    db.destroy();
  }
}
