// The service's figures on DynamoDB, in the case table beside the cases (case-table.ts names the
// items). A tally is one conditional UpdateItem that adds one to its counters and remembers it (a
// short hash of what was counted, in a string set) only if it was not remembered already: counting
// twice is impossible, with no transaction (which dynalite does not have either).
//
// What a day remembers grows with every tally, and DynamoDB bills a write by the size of the whole
// item (and refuses one over 400 KB): in one item per day, the benchmark's 10,000 journeys a day
// made each tally cost tens of write units and the day's item outgrew the limit. So a day's tallies
// are counted in 256 slices, each tally in the slice its hash names; the scheduled roll-up
// (PublishPositions, every 15 minutes) adds the slices of each recent day into the day's item, which
// is what the reports read. Today and yesterday are read from their slices, up to the second; older
// days from their roll-up.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COUNTERS, countersOf, sumDays, tallyKey, type DayFigures, type Estimate, type JourneySummary, type QueuePositions, type Tally } from '../../domain/performance/performance';
import type { Clock, PerformanceStore } from '../../domain/ports';
import type { Journey } from '../../domain/shared/reference';
import { addDays, ukDate } from '../../domain/shared/working-days';
import { CASE_TABLE, performanceDayKey, performanceSliceKey, performanceSummaryKey } from './case-table';
import { COUNTED, WORKING_DAYS_PREFIX, dayFigures, journeySummary } from './performance-items';

/**
 * What a tally is remembered by, and the slice of its day it is counted in: from one SHA-256 of
 * what was counted, the first byte names the slice (256 of them, 00 to ff) and the next 72 bits
 * are the mark (12 characters): no two of a slice's tallies share one in practice, and the fewer
 * bytes each mark takes, the less each write to its slice costs.
 */
export function countedMark(key: string): { readonly slice: string; readonly mark: string } {
  const digest = createHash('sha256').update(key).digest();
  return { slice: digest.subarray(0, 1).toString('hex'), mark: digest.subarray(1, 10).toString('base64url') };
}

/** The slices of a day. */
const SLICES = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));
/** The summary's attribute listing the days (older than yesterday) that tallies came for since they were last added up. */
const ROLL_UP_AGAIN = 'rollUpAgain';

/** Today and yesterday (UK dates) are read from their slices: days still being counted. */
const LIVE_DAYS = 2;

const daysFrom = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
};

export class DynamoPerformanceStore implements PerformanceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock = () => new Date(),
  ) {}

  async count(service: string, journey: Journey, tally: Tally): Promise<boolean> {
    // A day before yesterday is read from its roll-up: a tally for one (a case decided weeks after
    // it came is "closed" on the day it came; a late receipt) asks the scheduled run to add that
    // day up again, before it is counted (a stop in between only adds a day up once too often) and
    // after (a run that took the day off its list while this was being counted sees it again).
    const past = tally.on < this.firstLiveDay();
    if (past) await this.toRollUp(service, journey, tally.on);
    const { counters, workingDays } = countersOf(tally);
    const { slice, mark } = countedMark(tallyKey(tally));
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
          Key: { [CASE_TABLE.partitionKey]: performanceSliceKey(service, journey, tally.on, slice) },
          UpdateExpression: `ADD ${adds.join(', ')} SET #service = :service, #journey = :journey, #day = :day`,
          ConditionExpression: 'NOT contains(#counted, :mark)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':marks': new Set([mark]), ':mark': mark, ':one': 1, ':service': service, ':journey': journey, ':day': tally.on },
        }),
      );
      if (past) await this.toRollUp(service, journey, tally.on);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async days(service: string, journey: Journey, from: string, to: string, options: { readonly upToTheSecond?: boolean } = {}): Promise<DayFigures[]> {
    const all = daysFrom(from, to);
    const firstLive = this.firstLiveDay();
    const live = all.filter((day) => day >= firstLive);
    const consistent = options.upToTheSecond ?? true;
    const [rolledUp, slices] = await Promise.all([
      this.read(all.slice(0, all.length - live.length).map((day) => performanceDayKey(service, journey, day)), consistent),
      this.read(live.flatMap((day) => SLICES.map((slice) => performanceSliceKey(service, journey, day, slice))), consistent),
    ]);
    const liveDays = live.map((day) => slices.filter((item) => item.day === day)).filter((items) => items.length > 0).map((items) => sumDays(items.map(dayFigures), String(items[0].day)));
    return [...rolledUp.map(dayFigures), ...liveDays].sort((a, b) => a.day.localeCompare(b.day));
  }

  /** The first day read from its slices: yesterday (UK date). */
  private firstLiveDay(): string {
    return addDays(ukDate(this.clock()), -(LIVE_DAYS - 1));
  }

  /** Asks the scheduled run to add up `day` again (a string set of days on the journey's summary item). */
  private toRollUp(service: string, journey: Journey, day: string): Promise<void> {
    return this.listDay(service, journey, day, 'ADD');
  }

  /** Puts a day on the summary's list of days to add up again (ADD), or takes it off (DELETE). */
  private async listDay(service: string, journey: Journey, day: string, action: 'ADD' | 'DELETE'): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { [CASE_TABLE.partitionKey]: performanceSummaryKey(service, journey) },
        UpdateExpression: `${action} #days :day`,
        ExpressionAttributeNames: { '#days': ROLL_UP_AGAIN },
        ExpressionAttributeValues: { ':day': new Set([day]) },
      }),
    );
  }

  async daysToRollUpAgain(service: string, journey: Journey): Promise<string[]> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { [CASE_TABLE.partitionKey]: performanceSummaryKey(service, journey) }, ConsistentRead: true }));
    const days = out.Item?.[ROLL_UP_AGAIN] as Set<string> | undefined;
    return days ? [...days].sort() : [];
  }

  /**
   * Adds up a day's slices into the day's item, which reports read for the days before yesterday.
   * The whole day is added up each time, so running it again (or twice at once) changes nothing;
   * a sum read earlier never replaces one read later. The day leaves the summary's list of days to
   * add up again first, so a tally that asks for it meanwhile is added up by the next run.
   */
  async rollUp(service: string, journey: Journey, day: string, at: string): Promise<boolean> {
    await this.listDay(service, journey, day, 'DELETE');
    try {
      return await this.addUp(service, journey, day, at);
    } catch (error) {
      // not added up: asked for again, so the next run tries (a day older than a week would be forgotten)
      await this.toRollUp(service, journey, day).catch(() => undefined);
      throw error;
    }
  }

  private async addUp(service: string, journey: Journey, day: string, at: string): Promise<boolean> {
    const slices = await this.read(SLICES.map((slice) => performanceSliceKey(service, journey, day, slice)), true);
    if (slices.length === 0) return false;
    const total = sumDays(slices.map(dayFigures), day);
    // every counter and bucket set (an UpdateItem, as the figures' functions may only update)
    const values: Record<string, unknown> = { ':service': service, ':journey': journey, ':day': day, ':at': at };
    const names: Record<string, string> = { '#service': 'service', '#journey': 'journey', '#day': 'day', '#at': 'rolledUpAt' };
    const sets = ['#service = :service', '#journey = :journey', '#day = :day', '#at = :at'];
    const figures: [string, number][] = [...COUNTERS.map((counter): [string, number] => [counter, total[counter]]), ...Object.entries(total.workingDays).map(([days, count]): [string, number] => [`${WORKING_DAYS_PREFIX}${days}`, count])];
    figures.forEach(([attribute, value], n) => {
      names[`#f${n}`] = attribute;
      values[`:f${n}`] = value;
      sets.push(`#f${n} = :f${n}`);
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { [CASE_TABLE.partitionKey]: performanceDayKey(service, journey, day) },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#at) OR #at <= :at',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The items of these keys that exist, in batches of 100 (BatchGetItem's limit). */
  private async read(keys: readonly string[], consistent: boolean): Promise<Record<string, unknown>[]> {
    const batches: string[][] = [];
    for (let start = 0; start < keys.length; start += 100) batches.push(keys.slice(start, start + 100));
    const read = await Promise.all(batches.map((batch) => this.batch(batch, consistent)));
    return read.flat();
  }

  private async batch(keys: readonly string[], consistent: boolean): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [this.table]: { Keys: keys.map((key) => ({ [CASE_TABLE.partitionKey]: key })), ConsistentRead: consistent },
    };
    // what DynamoDB leaves unread under load is asked for again, a little later each time
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      if (attempt > 8) throw new Error('the performance figures could not all be read');
      const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
      items.push(...(out.Responses?.[this.table] ?? []));
      request = out.UnprocessedKeys as typeof request;
    }
    return items;
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
