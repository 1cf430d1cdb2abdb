// Idempotency keys on DynamoDB: stored hashed beside the cases (`idempotency#<sha256>`), claimed
// with a conditional put, forgotten after a day by the table's TTL.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_KEEP_SECONDS, fingerprint, keyReused } from '../../domain/shared/idempotency';
import type { IdempotencyStore } from '../../domain/ports';
import { CASE_TABLE } from './case-table';

const itemKey = (key: string): string => `idempotency#${fingerprint(key)}`;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async find(key: string): Promise<string | undefined> {
    const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: { [CASE_TABLE.partitionKey]: itemKey(key) }, ConsistentRead: true }));
    return existing.Item ? String(existing.Item.caseReference) : undefined;
  }

  async claim(key: string, requestFingerprint: string, reference: string, now: Date): Promise<{ reference: string; replay: boolean }> {
    const id = itemKey(key);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { [CASE_TABLE.partitionKey]: id, caseReference: reference, request: requestFingerprint, [CASE_TABLE.timeToLiveAttribute]: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_KEEP_SECONDS },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': CASE_TABLE.partitionKey },
        }),
      );
      return { reference, replay: false };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: { [CASE_TABLE.partitionKey]: id }, ConsistentRead: true }));
    if (existing.Item?.request !== requestFingerprint) throw keyReused();
    return { reference: String(existing.Item.caseReference), replay: true };
  }
}
