// Console sessions on DynamoDB: one item per session under the hash of its token, deleted on sign
// out and, some time after it ends, by the table's TTL (reads check the times themselves).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Session } from '../../domain/casework/sessions';
import type { SessionStore } from '../../domain/ports';
import { SESSION_TABLE } from './session-table';

const epochSeconds = (iso: string) => Math.ceil(Date.parse(iso) / 1000);

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(session: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...session, [SESSION_TABLE.timeToLiveAttribute]: epochSeconds(session.endsAt) },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': SESSION_TABLE.partitionKey },
      }),
    );
  }

  async get(id: string): Promise<Session | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { [SESSION_TABLE.partitionKey]: id }, ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { [SESSION_TABLE.timeToLiveAttribute]: _ttl, ...session } = out.Item;
    return session as Session;
  }

  async touch(id: string, idleUntil: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { [SESSION_TABLE.partitionKey]: id },
          UpdateExpression: 'SET idleUntil = :until',
          // never brings back a session signed out in the meantime
          ConditionExpression: 'attribute_exists(#id)',
          ExpressionAttributeNames: { '#id': SESSION_TABLE.partitionKey },
          ExpressionAttributeValues: { ':until': idleUntil },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async end(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { [SESSION_TABLE.partitionKey]: id } }));
  }
}
