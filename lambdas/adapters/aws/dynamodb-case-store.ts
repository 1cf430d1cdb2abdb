// The case store on DynamoDB: one item per case, every change one conditional UpdateItem on the
// case's version, queues read from the queue index (never a scan).
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOST_RACE, optimisticUpdate, type UpdateOptions, type CaseChange, type CaseWrite } from '../../domain/cases/case-change';
import { CaseAlreadyExists, CaseNotFound, invalidCursor } from '../../domain/shared/errors';
import type { CaseRecord, Queue } from '../../domain/cases/case';
import type { CaseStore, Clock, QueueEntry } from '../../domain/ports';
import { CASE_TABLE } from './case-table';

/** A DynamoDB document client as every function uses it; create it once, at module scope. */
export const documentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

export class DynamoCaseStore implements CaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock = () => new Date(),
  ) {}

  async create(record: CaseRecord): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': CASE_TABLE.partitionKey } }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new CaseAlreadyExists(record.reference);
      throw error;
    }
  }

  async get(reference: string): Promise<CaseRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { [CASE_TABLE.partitionKey]: reference }, ConsistentRead: true }));
    return out.Item as CaseRecord | undefined;
  }

  async require(reference: string): Promise<CaseRecord> {
    const record = await this.get(reference);
    if (!record || !record.journey) throw new CaseNotFound(reference);
    return record;
  }

  update(reference: string, decide: (current: CaseRecord) => CaseChange | undefined, options: UpdateOptions = {}): Promise<{ record: CaseRecord; changed: boolean }> {
    return optimisticUpdate(reference, options, () => this.require(reference), decide, (current, write) =>
      this.write(current, write).catch((error) => {
        if (error instanceof ConditionalCheckFailedException) return LOST_RACE;
        throw error;
      }),
    );
  }

  private async write(current: CaseRecord, write: CaseWrite): Promise<CaseRecord> {
    const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':expected': current.version, ':next': current.version + 1, ':now': this.clock().toISOString() };
    const sets = ['#version = :next', '#updatedAt = :now'];
    let n = 0;
    for (const [attribute, value] of Object.entries(write.set)) {
      names[`#a${n}`] = attribute;
      values[`:v${n}`] = value;
      sets.push(`#a${n} = :v${n}`);
      n++;
    }
    for (const [list, entries] of Object.entries(write.append)) {
      names[`#a${n}`] = list;
      values[`:v${n}`] = entries;
      values[':empty'] = [];
      sets.push(`#a${n} = list_append(if_not_exists(#a${n}, :empty), :v${n})`);
      n++;
    }
    const removes = write.remove.map((attribute) => {
      names[`#a${n}`] = attribute;
      return `#a${n++}`;
    });
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { [CASE_TABLE.partitionKey]: current.reference },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as CaseRecord;
  }

  async due(queue: Queue, upTo: string, limit = 100): Promise<string[]> {
    const index = CASE_TABLE.queueIndex;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: index.name,
        KeyConditionExpression: '#q = :q AND #at <= :upTo',
        ExpressionAttributeNames: { '#q': index.partitionKey, '#at': index.sortKey },
        ExpressionAttributeValues: { ':q': queue, ':upTo': upTo },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => String(item.reference));
  }

  async queue(queue: Queue, limit: number, cursor?: string): Promise<{ cases: QueueEntry[]; next?: string }> {
    const index = CASE_TABLE.queueIndex;
    const startKey = cursor === undefined ? undefined : readCursor(cursor, queue);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: index.name,
        KeyConditionExpression: '#q = :q',
        ExpressionAttributeNames: { '#q': index.partitionKey },
        ExpressionAttributeValues: { ':q': queue },
        ScanIndexForward: true,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const cases = (out.Items ?? []).map(queueEntry);
    const next = out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined;
    return { cases, ...(next ? { next } : {}) };
  }
}

/** What a queue shows of a case: no personal data (the index does not carry any). */
function queueEntry(item: Record<string, any>): QueueEntry {
  return {
    reference: String(item.reference),
    journey: String(item.journey),
    service: String(item.service),
    stage: String(item.stage),
    queuedAt: String(item.queuedAt),
    ...(item.expectedBy ? { expectedBy: String(item.expectedBy) } : {}),
    ...(item.lastMilestoneAt ? { lastMilestoneAt: String(item.lastMilestoneAt) } : {}),
    ...(item.createdAt ? { createdAt: String(item.createdAt) } : {}),
    complex: Boolean(item.checks?.complex),
  };
}

/** A queue's `next` cursor is the index key it stopped at; anything else is refused, not trusted. */
function readCursor(cursor: string, queue: Queue): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    key !== null &&
    typeof key === 'object' &&
    Object.keys(key).sort().join() === ['queue', 'queuedAt', 'reference'].join() &&
    Object.values(key).every((value) => typeof value === 'string') &&
    (key as Record<string, unknown>).queue === queue;
  if (!valid) throw invalidCursor();
  return key as Record<string, unknown>;
}
