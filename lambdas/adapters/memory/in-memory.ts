// The ports in memory, for fast unit tests of the rules, the steps and the notifier: the case
// store keeps the same conditions as DynamoDB's (a write is refused when the version moved on,
// append-only lists, queues oldest first), and the others record what they were asked to do.
// Nothing deployed imports this file.
import { LOST_RACE, optimisticUpdate, type UpdateOptions, type CaseChange } from '../../domain/cases/case-change';
import { CaseAlreadyExists, CaseNotFound, TokenNotUsable, invalidCursor } from '../../domain/shared/errors';
import type { CaseRecord, Queue } from '../../domain/cases/case';
import type { MetricName } from '../../domain/shared/metrics';
import type { MilestoneEvent } from '../../domain/cases/milestones';
import type { CaseStore, Clock, JourneyEngine, JourneyInput, Log, Metrics, MilestonePublisher, PerformanceStore, QueueEntry, SentText, SentTexts, SmsSender } from '../../domain/ports';
import { emptyDay, sumDays, tallyFigures, tallyKey, type DayFigures, type Estimate, type JourneySummary, type QueuePositions, type Tally } from '../../domain/performance/performance';
import type { Journey } from '../../domain/shared/reference';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryCaseStore implements CaseStore {
  readonly cases = new Map<string, CaseRecord>();
  /** for tests of lost races: runs just before a write is checked against the version */
  beforeWrite?: (reference: string) => void;

  constructor(private readonly clock: Clock = () => new Date()) {}

  async create(record: CaseRecord): Promise<void> {
    if (this.cases.has(record.reference)) throw new CaseAlreadyExists(record.reference);
    this.cases.set(record.reference, copy(record));
  }

  async get(reference: string): Promise<CaseRecord | undefined> {
    const record = this.cases.get(reference);
    return record ? copy(record) : undefined;
  }

  async require(reference: string): Promise<CaseRecord> {
    const record = await this.get(reference);
    // as in the table, an item that is not a case (an idempotency key, say) is no case
    if (!record || !record.journey) throw new CaseNotFound(reference);
    return record;
  }

  update(reference: string, decide: (current: CaseRecord) => CaseChange | undefined, options: UpdateOptions = {}): Promise<{ record: CaseRecord; changed: boolean }> {
    return optimisticUpdate(reference, options, () => this.require(reference), decide, async (current, write) => {
      this.beforeWrite?.(reference);
      const stored = this.cases.get(reference)!;
      if (stored.version !== current.version) return LOST_RACE;
      const next: Record<string, unknown> = { ...stored, ...copy(write.set), version: stored.version + 1, updatedAt: this.clock().toISOString() };
      for (const [list, entries] of Object.entries(write.append)) next[list] = [...((stored as unknown as Record<string, unknown[]>)[list] ?? []), ...copy(entries)];
      for (const attribute of write.remove) delete next[attribute];
      this.cases.set(reference, next as unknown as CaseRecord);
      return copy(next as unknown as CaseRecord);
    });
  }

  private inQueue(queue: Queue): CaseRecord[] {
    return [...this.cases.values()]
      .filter((record) => record.queue === queue && record.queuedAt)
      .sort((a, b) => a.queuedAt!.localeCompare(b.queuedAt!) || a.reference.localeCompare(b.reference));
  }

  async due(queue: Queue, upTo: string, limit = 100): Promise<string[]> {
    return this.inQueue(queue)
      .filter((record) => record.queuedAt! <= upTo)
      .slice(0, limit)
      .map((record) => record.reference);
  }

  async queue(queue: Queue, limit: number, cursor?: string): Promise<{ cases: QueueEntry[]; next?: string }> {
    const all = this.inQueue(queue);
    // As DynamoDB's, the cursor is the key the page stopped at: the next page starts after it,
    // even if that case has left the queue since.
    let start = 0;
    if (cursor !== undefined) {
      const [cursorQueue, queuedAt, reference] = cursor.split('|');
      if (cursorQueue !== queue || !queuedAt || !reference) throw invalidCursor();
      start = all.findIndex((record) => record.queuedAt! > queuedAt || (record.queuedAt === queuedAt && record.reference > reference));
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + limit);
    const cases = page.map((r) => ({ reference: r.reference, journey: r.journey, service: r.service, stage: r.stage, queuedAt: r.queuedAt!, ...(r.expectedBy ? { expectedBy: r.expectedBy } : {}), ...(r.lastMilestoneAt ? { lastMilestoneAt: r.lastMilestoneAt } : {}), createdAt: r.createdAt, complex: Boolean(r.checks?.complex) }));
    const last = page.at(-1);
    return { cases, ...(last && start + limit < all.length ? { next: `${queue}|${last.queuedAt}|${last.reference}` } : {}) };
  }
}

export class RecordedMilestones implements MilestonePublisher {
  readonly published: MilestoneEvent[] = [];
  /** set to make publishing fail, as a topic outage would */
  failing = false;

  async publish(event: MilestoneEvent): Promise<boolean> {
    if (this.failing) return false;
    this.published.push(event);
    return true;
  }
}

export class RecordedJourneys implements JourneyEngine {
  readonly started: JourneyInput[] = [];
  readonly answers: { taskToken: string; output: unknown }[] = [];
  /** tokens the journeys no longer wait on, and why */
  readonly unusable = new Map<string, TokenNotUsable['why']>();
  /** set to make starting fail, as an unreachable Step Functions would */
  failing = false;

  async start(input: JourneyInput): Promise<void> {
    if (this.failing) throw Object.assign(new Error('unreachable'), { name: 'ServiceUnavailable' });
    if (!this.started.some((started) => started.reference === input.reference)) this.started.push(input);
  }

  async answer(taskToken: string, output: unknown): Promise<void> {
    const why = this.unusable.get(taskToken);
    if (why) throw new TokenNotUsable(why);
    this.unusable.set(taskToken, 'unknown'); // a token is used once
    this.answers.push({ taskToken, output: copy(output) });
  }
}

export class RecordedSms implements SmsSender {
  readonly sent: { phone: string; text: string }[] = [];
  readonly optedOut = new Set<string>();
  /** set to make sending fail, as an SMS outage would */
  failing = false;

  async isOptedOut(phone: string): Promise<boolean> {
    return this.optedOut.has(phone);
  }

  async send(phone: string, text: string): Promise<string> {
    if (this.failing) throw Object.assign(new Error('the SMS provider is unavailable'), { name: 'InternalError' });
    this.sent.push({ phone, text });
    return `message-${this.sent.length}`;
  }
}

/** Which case each text was, by its message id, as the DynamoDB store keeps it. */
export class InMemorySentTexts implements SentTexts {
  readonly texts = new Map<string, SentText>();
  async remember(messageId: string, text: SentText): Promise<void> {
    this.texts.set(messageId, copy(text));
  }
  async find(messageId: string): Promise<SentText | undefined> {
    const text = this.texts.get(messageId);
    return text ? copy(text) : undefined;
  }
}

export class CountedMetrics implements Metrics {
  readonly counts: Partial<Record<MetricName, number>> = {};
  /** every value counted with dimensions of its own, in order */
  readonly recorded: { metric: MetricName; value: number; dimensions: Readonly<Record<string, string>> }[] = [];

  count(metric: MetricName, value = 1, dimensions?: Readonly<Record<string, string>>): void {
    this.counts[metric] = (this.counts[metric] ?? 0) + value;
    if (dimensions) this.recorded.push({ metric, value, dimensions: { ...dimensions } });
  }
}

/** The figures in memory, counted once per tally as the DynamoDB store counts them. */
export class InMemoryPerformanceStore implements PerformanceStore {
  private readonly dayFigures = new Map<string, { figures: DayFigures; counted: Set<string> }>();
  private readonly summaries = new Map<string, JourneySummary>();

  async count(service: string, journey: Journey, tally: Tally): Promise<boolean> {
    const key = `${service}#${journey}#${tally.on}`;
    const day = this.dayFigures.get(key) ?? { figures: emptyDay(tally.on), counted: new Set<string>() };
    if (day.counted.has(tallyKey(tally))) return false;
    day.counted.add(tallyKey(tally));
    this.dayFigures.set(key, { figures: sumDays([day.figures, tallyFigures(tally)], tally.on), counted: day.counted });
    return true;
  }

  async days(service: string, journey: Journey, from: string, to: string): Promise<DayFigures[]> {
    return [...this.dayFigures.entries()]
      .filter(([key, { figures }]) => key.startsWith(`${service}#${journey}#`) && figures.day >= from && figures.day <= to)
      .map(([, { figures }]) => copy(figures))
      .sort((a, b) => a.day.localeCompare(b.day));
  }

  async daysToRollUpAgain(): Promise<string[]> {
    return [];
  }

  /** Nothing to add up: each day's figures are kept in one place here. */
  async rollUp(service: string, journey: Journey, day: string): Promise<boolean> {
    return this.dayFigures.has(`${service}#${journey}#${day}`);
  }

  async summary(service: string, journey: Journey): Promise<JourneySummary | undefined> {
    const summary = this.summaries.get(`${service}#${journey}`);
    return summary ? copy(summary) : undefined;
  }

  async saveEstimate(service: string, journey: Journey, estimate: Estimate): Promise<boolean> {
    const current = this.summaries.get(`${service}#${journey}`) ?? {};
    if (current.estimate && current.estimate.computedAt > estimate.computedAt) return false;
    this.summaries.set(`${service}#${journey}`, { ...current, estimate: copy(estimate) });
    return true;
  }

  async saveQueues(service: string, journey: Journey, queues: QueuePositions, at: string): Promise<boolean> {
    const current = this.summaries.get(`${service}#${journey}`) ?? {};
    if (current.queuesAt && current.queuesAt >= at) return false;
    this.summaries.set(`${service}#${journey}`, { ...current, queues: copy(queues), queuesAt: at });
    return true;
  }
}

export class RecordedLog implements Log {
  readonly lines: { level: 'info' | 'error'; message: string; fields?: Record<string, unknown> }[] = [];
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

/** A clock that stands still until a test moves it. */
export class TestClock {
  constructor(private at: Date) {}
  readonly now: Clock = () => new Date(this.at);
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}
