// What the local Step Functions must not keep only in memory: every running execution, the
// state it is in and that state's input, its deadline and a callback wait's, a callback's result
// the moment it arrives, and the recent history events GetExecutionHistory answers with. Each
// change appends the execution's whole entry as one line, and each history event one line of its
// own (cheap, and a SIGKILL can only cut the last line, which is skipped); the last entry line for
// an execution wins. At start the journal is compacted to one line per execution plus its history.
// Without a file (a LocalStepFunctions built for a unit test) the journal lives in memory.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface JournalEntry {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  /** when it was started through an alias: the alias, and the version it ran (as DescribeExecution tells them) */
  readonly stateMachineAliasArn?: string;
  readonly stateMachineVersionArn?: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  /** when the execution times out (ms since the epoch), from the definition's TimeoutSeconds */
  readonly deadline?: number;
  status: ExecutionStatus;
  /** how it ended (ms since the epoch), with its output or its error */
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** the state it is in, and that state's input */
  state?: string;
  stateInput?: unknown;
  /** when the callback wait in `state` times out (ms since the epoch) */
  wait?: { readonly state: string; readonly deadline: number };
  /** a callback result (SendTaskSuccess's output or SendTaskFailure's error) that arrived for `state`, not yet followed by the next state */
  completed?: { readonly state: string; readonly output?: unknown; readonly error?: { readonly name: string; readonly cause: string } };
}

/**
 * One event of an execution's history, in the shape GetExecutionHistory returns it: `timestamp`
 * in seconds since the epoch, and the details under the key AWS uses for the event's type (for
 * example `stateEnteredEventDetails`).
 */
export interface HistoryEvent {
  readonly timestamp: number;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

/** An event as the local Step Functions reports it; the journal numbers and times it. */
export type NewHistoryEvent = { readonly type: string } & Readonly<Record<string, unknown>>;

/** Finished executions kept across restarts, for DescribeExecution and ListExecutions. */
const KEEP_FINISHED = 2000;
/** History events kept per execution: the most recent ones, so a journey that loops for months stays small. */
export const HISTORY_KEPT = 250;

export class ExecutionJournal {
  private readonly entries = new Map<string, JournalEntry>();
  private readonly histories = new Map<string, HistoryEvent[]>();
  private appended = 0;
  private kept = 0;

  constructor(private readonly file?: string) {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const parsed = JSON.parse(line);
          if (parsed.of) this.keep(parsed.of, parsed.event as HistoryEvent);
          else this.entries.set(parsed.executionArn, parsed as JournalEntry);
        } catch {
          // a line cut short by a crash: the line before it for that execution stands
        }
      }
    }
    this.compact();
  }

  find(executionArn: string): JournalEntry | undefined {
    return this.entries.get(executionArn);
  }

  running(): JournalEntry[] {
    return [...this.entries.values()].filter((entry) => entry.status === 'RUNNING');
  }

  /** Every execution it knows, running or finished (the most recent finished ones). */
  all(): JournalEntry[] {
    return [...this.entries.values()];
  }

  /** The execution's most recent history events, oldest first. */
  history(executionArn: string): readonly HistoryEvent[] {
    return this.histories.get(executionArn) ?? [];
  }

  record(entry: JournalEntry, ...events: NewHistoryEvent[]): void {
    this.entries.set(entry.executionArn, entry);
    this.append(entry, events);
  }

  update(executionArn: string, change: (entry: JournalEntry) => void, ...events: NewHistoryEvent[]): void {
    const entry = this.entries.get(executionArn);
    if (!entry) return;
    change(entry);
    this.append(entry, events);
  }

  /** Adds history events without changing the entry. */
  note(executionArn: string, ...events: NewHistoryEvent[]): void {
    if (this.entries.has(executionArn)) this.append(undefined, events, executionArn);
  }

  private append(entry: JournalEntry | undefined, events: readonly NewHistoryEvent[], executionArn = entry!.executionArn): void {
    const lines: string[] = entry ? [JSON.stringify(entry)] : [];
    const history = this.histories.get(executionArn);
    let previous = history?.at(-1)?.id ?? 0;
    for (const event of events) {
      const numbered: HistoryEvent = { timestamp: Date.now() / 1000, ...event, id: previous + 1, previousEventId: previous };
      previous = numbered.id;
      this.keep(executionArn, numbered);
      lines.push(JSON.stringify({ of: executionArn, event: numbered }));
    }
    // one write for the entry and its events, so a crash cannot keep one without the other
    if (this.file && lines.length > 0) appendFileSync(this.file, `${lines.join('\n')}\n`);
    this.appended += lines.length;
    // keep the file in proportion to what it describes
    if (this.appended > 5000 && this.appended > 4 * (this.entries.size + this.kept)) this.compact();
  }

  private keep(executionArn: string, event: HistoryEvent): void {
    let history = this.histories.get(executionArn);
    if (!history) this.histories.set(executionArn, (history = []));
    history.push(event);
    this.kept++;
    // trimmed in batches: a shift per event would copy the array every time
    if (history.length > HISTORY_KEPT + 50) this.kept -= history.splice(0, history.length - HISTORY_KEPT).length;
  }

  private compact(): void {
    this.appended = 0;
    const finished = [...this.entries.values()].filter((entry) => entry.status !== 'RUNNING');
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.entries.delete(entry.executionArn);
      this.kept -= this.histories.get(entry.executionArn)?.length ?? 0;
      this.histories.delete(entry.executionArn);
    }
    for (const [executionArn, history] of this.histories) {
      if (!this.entries.has(executionArn)) {
        // events whose entry line was lost to a crash
        this.kept -= history.length;
        this.histories.delete(executionArn);
      } else if (history.length > HISTORY_KEPT) this.kept -= history.splice(0, history.length - HISTORY_KEPT).length;
    }
    if (!this.file) return;
    const lines: string[] = [];
    for (const entry of this.entries.values()) {
      lines.push(`${JSON.stringify(entry)}\n`);
      for (const event of this.history(entry.executionArn)) lines.push(`${JSON.stringify({ of: entry.executionArn, event })}\n`);
    }
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, lines.join(''));
    renameSync(temporary, this.file);
  }
}
