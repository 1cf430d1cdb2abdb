// The service's figures on DynamoDB, in the case table beside the cases: one item per day of a
// service's journey, and one summary item per journey (case-table.ts names them). A tally is one
// conditional UpdateItem that adds one to its counters and remembers it (a short hash of what was
// counted, in a string set) only if it was not remembered already: counting twice is impossible,
// with no transaction (which dynalite does not have either).
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countersOf, tallyKey, type DayFigures, type Estimate, type JourneySummary, type QueuePositions, type Tally } from '../../domain/performance';
import type { PerformanceStore } from '../../domain/ports';
import type { Journey } from '../../domain/reference';
import { addDays } from '../../domain/working-days';
import { CASE_TABLE, performanceDayKey, performanceSummaryKey } from './case-table';
import { COUNTED, WORKING_DAYS_PREFIX, dayFigures, journeySummary } from './performance-items';


/** 96 bits of a SHA-256: short, and no two of a day's tallies share one in practice. */
export const countedMark = (key: string): string => createHash('sha256').update(key).digest('base64url').slice(0, 16);

export class DynamoPerformanceStore implements PerformanceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async count(service: string, journey: Journey, tally: Tally): Promise<boolean> {
    const { counters, workingDays } = countersOf(tally);
    const mark = countedMark(tallyKey(tally));
    const names: Record<string, string> = { '#counted': COUNTED, '#service': 'service', '#journey': 'journey', '#day': 'day' };
    const adds = ['#counted :marks'];
    counters.forEach((counter, n) => {
      names[`#c${n}`] = counter;
      adds.push(`#c${n} :one`);
    });
    if (workingDays !== undefined) {
      names['#wd'] = `${WORKING_DAYS_PREFIX}${workingDays}`;
      adds.push('#wd :one');
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { [CASE_TABLE.partitionKey]: performanceDayKey(service, journey, tally.on) },
          UpdateExpression: `ADD ${adds.join(', ')} SET #service = :service, #journey = :journey, #day = :day`,
          ConditionExpression: 'NOT contains(#counted, :mark)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':marks': new Set([mark]), ':mark': mark, ':one': 1, ':service': service, ':journey': journey, ':day': tally.on },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async days(service: string, journey: Journey, from: string, to: string, options: { readonly upToTheSecond?: boolean } = {}): Promise<DayFigures[]> {
    const keys: string[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) keys.push(performanceDayKey(service, journey, day));
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [this.table]: { Keys: keys.slice(start, start + 100).map((key) => ({ [CASE_TABLE.partitionKey]: key })), ConsistentRead: options.upToTheSecond ?? true },
      };
      // what DynamoDB leaves unread under load is asked for again, a little later each time
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 8) throw new Error('the performance figures could not all be read');
        const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        items.push(...(out.Responses?.[this.table] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return items.map(dayFigures).sort((a, b) => a.day.localeCompare(b.day));
  }

  async summary(service: string, journey: Journey): Promise<JourneySummary | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { [CASE_TABLE.partitionKey]: performanceSummaryKey(service, journey) }, ConsistentRead: true }));
    return out.Item ? journeySummary(out.Item) : undefined;
  }

  saveEstimate(service: string, journey: Journey, estimate: Estimate): Promise<boolean> {
    // an estimate worked out earlier (a slower step, say) never replaces one worked out later
    return this.setSummary(service, journey, 'SET #estimate = :estimate', 'attribute_not_exists(#estimate) OR #estimate.#computedAt <= :at', {
      names: { '#estimate': 'estimate', '#computedAt': 'computedAt' },
      values: { ':estimate': estimate, ':at': estimate.computedAt },
    });
  }

  saveQueues(service: string, journey: Journey, queues: QueuePositions, at: string): Promise<boolean> {
    return this.setSummary(service, journey, 'SET #queues = :queues, #queuesAt = :at', 'attribute_not_exists(#queuesAt) OR #queuesAt < :at', {
      names: { '#queues': 'queues', '#queuesAt': 'queuesAt' },
      values: { ':queues': queues, ':at': at },
    });
  }

  private async setSummary(service: string, journey: Journey, update: string, condition: string, expression: { names: Record<string, string>; values: Record<string, unknown> }): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { [CASE_TABLE.partitionKey]: performanceSummaryKey(service, journey) },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: expression.names,
          ExpressionAttributeValues: expression.values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
