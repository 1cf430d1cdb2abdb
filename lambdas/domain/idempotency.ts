// Idempotency keys: a retried submission with the same Idempotency-Key gets the same reference.
// Keys are stored hashed beside the cases and expire after a day (DynamoDB TTL).
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CASE_TABLE } from './case-table';
import { PublicError } from './errors';

const KEEP_SECONDS = 24 * 60 * 60;

export const fingerprint = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new PublicError('invalid-request', 'The Idempotency-Key header must be 1 to 128 visible characters, for example a UUID.', [
      { field: 'Idempotency-Key', message: 'Use 1 to 128 visible characters, for example a UUID.' },
    ]);
  }
  return key;
}

export class IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Claims `key` for `reference`. If the key was claimed before, returns the reference it was
   * claimed for, provided the request is the same one; a different request is a conflict.
   */
  async claim(key: string, requestFingerprint: string, reference: string, now: Date): Promise<{ reference: string; replay: boolean }> {
    const id = `idempotency#${fingerprint(key)}`;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { [CASE_TABLE.partitionKey]: id, caseReference: reference, request: requestFingerprint, [CASE_TABLE.timeToLiveAttribute]: Math.floor(now.getTime() / 1000) + KEEP_SECONDS },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': CASE_TABLE.partitionKey },
        }),
      );
      return { reference, replay: false };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: { [CASE_TABLE.partitionKey]: id }, ConsistentRead: true }));
    if (existing.Item?.request !== requestFingerprint) {
      throw new PublicError('conflict', 'This Idempotency-Key was already used for a different request. Use a new key for a new application.');
    }
    return { reference: String(existing.Item.caseReference), replay: true };
  }
}
