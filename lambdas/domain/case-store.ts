// The case store: every change to a case is one conditional UpdateItem on its version, so two
// writers cannot both win and nothing is overwritten blindly.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from './config';
import { CASE_TABLE } from './case-table';
import { CaseConflict, CaseNotFound, PublicError } from './errors';
import type { AuditEntry, CaseRecord, HistoryEntry, NotificationRecord, Queue } from './case';

const APPEND_ONLY = ['audit', 'history'];

export interface CaseChange {
  /** top-level attributes to set */
  readonly set?: Readonly<Record<string, unknown>>;
  /** top-level attributes to remove */
  readonly remove?: readonly string[];
  /** entries to add at the end of the case's lists */
  readonly append?: {
    readonly history?: readonly HistoryEntry[];
    readonly audit?: readonly AuditEntry[];
    readonly notifications?: readonly NotificationRecord[];
  };
}

export interface QueueEntry {
  readonly reference: string;
  readonly journey: string;
  readonly service: string;
  readonly stage: string;
  readonly queuedAt: string;
  readonly expectedBy?: string;
  readonly complex: boolean;
}

/** A DynamoDB document client as every function uses it; create it once, at module scope. */
export const documentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

/** The case store of a function whose table is in TABLE_NAME (checked at start-up). */
export const caseStoreFromEnv = (db: DynamoDBDocumentClient = documentClient()): CaseStore => new CaseStore(db, requireEnv('TABLE_NAME'));

export class CaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(record: CaseRecord): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': CASE_TABLE.partitionKey } }),
    );
  }

  async get(reference: string): Promise<CaseRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { reference }, ConsistentRead: true }));
    return out.Item as CaseRecord | undefined;
  }

  async require(reference: string): Promise<CaseRecord> {
    const record = await this.get(reference);
    if (!record || !record.journey) throw new CaseNotFound(reference);
    return record;
  }

  /**
   * Reads the case, asks `decide` what to change, and writes it only if nobody changed the case
   * in between; on a lost race it reads again and asks again. `decide` returns undefined when
   * there is nothing to do (for instance a step retried after its write had already landed) and
   * may throw to refuse the change.
   */
  async update(
    reference: string,
    decide: (current: CaseRecord) => CaseChange | undefined,
    attempts = 5,
  ): Promise<{ record: CaseRecord; changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.require(reference);
      const change = decide(current);
      if (!change) return { record: current, changed: false };
      try {
        return { record: await this.write(current, change), changed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (attempt >= attempts) throw new CaseConflict(reference);
      }
    }
  }

  private async write(current: CaseRecord, change: CaseChange): Promise<CaseRecord> {
    // The audit trail and the history are append-only: no change may set or remove them.
    for (const list of APPEND_ONLY) {
      if (change.set?.[list] !== undefined || change.remove?.includes(list)) throw new Error(`the ${list} of a case can only be appended to`);
    }
    const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':expected': current.version, ':next': current.version + 1, ':now': this.clock().toISOString() };
    const sets = ['#version = :next', '#updatedAt = :now'];
    let n = 0;
    for (const [attribute, value] of Object.entries(change.set ?? {})) {
      if (value === undefined) continue;
      names[`#a${n}`] = attribute;
      values[`:v${n}`] = value;
      sets.push(`#a${n} = :v${n}`);
      n++;
    }
    for (const [list, entries] of Object.entries(change.append ?? {})) {
      if (!entries || entries.length === 0) continue;
      names[`#a${n}`] = list;
      values[`:v${n}`] = entries;
      values[':empty'] = [];
      sets.push(`#a${n} = list_append(if_not_exists(#a${n}, :empty), :v${n})`);
      n++;
    }
    // An attribute both set and removed is set: a step can clear a field and set it anew.
    const removes = (change.remove ?? []).filter((attribute) => change.set?.[attribute] === undefined).map((attribute) => {
      names[`#a${n}`] = attribute;
      return `#a${n++}`;
    });
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { reference: current.reference },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as CaseRecord;
  }

  /** References in a queue that are due by `upTo` (an ISO time), oldest first. */
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

  /** A caseworker queue, oldest first, from the queue index (never a scan). */
  async queue(queue: Queue, limit: number, cursor?: string): Promise<{ cases: QueueEntry[]; next?: string }> {
    const index = CASE_TABLE.queueIndex;
    let startKey: Record<string, unknown> | undefined;
    if (cursor) {
      try {
        startKey = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        startKey = undefined;
      }
      const valid =
        startKey &&
        typeof startKey === 'object' &&
        Object.keys(startKey).sort().join() === ['queue', 'queuedAt', 'reference'].join() &&
        Object.values(startKey).every((value) => typeof value === 'string') &&
        startKey.queue === queue;
      if (!valid) throw new PublicError('invalid-request', 'The "next" value is not one this queue gave out. Start from the first page.', [{ field: 'next', message: 'Use the "next" value from the previous page as it is.' }]);
    }
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
    const cases = (out.Items ?? []).map((item) => ({
      reference: String(item.reference),
      journey: String(item.journey),
      service: String(item.service),
      stage: String(item.stage),
      queuedAt: String(item.queuedAt),
      ...(item.expectedBy ? { expectedBy: String(item.expectedBy) } : {}),
      complex: Boolean(item.checks?.complex),
    }));
    const next = out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined;
    return { cases, ...(next ? { next } : {}) };
  }
}
