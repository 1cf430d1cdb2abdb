// What the local Step Functions must not keep only in memory: every running execution, the
// state it is in and that state's input, the deadline of a callback wait, and a callback's
// result the moment it arrives. Each change appends the execution's whole entry as one line
// (cheap, and a SIGKILL can only cut the last line, which is skipped); the last line for an
// execution wins. At start the journal is compacted to one line per execution.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface JournalEntry {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** the state it is in, and that state's input */
  state?: string;
  stateInput?: unknown;
  /** when the callback wait in `state` times out (ms since the epoch) */
  wait?: { readonly state: string; readonly deadline: number };
  /** a callback result that arrived for `state`, not yet followed by the next state */
  completed?: { readonly state: string; readonly output: unknown };
}

/** Finished executions kept across restarts, for DescribeExecution. */
const KEEP_FINISHED = 2000;

export class ExecutionJournal {
  private readonly entries = new Map<string, JournalEntry>();
  private appended = 0;

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as JournalEntry;
          this.entries.set(entry.executionArn, entry);
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
    return [...this.entries.values()].filter((entry) => entry.status === 'RUNNING' && entry.state);
  }

  record(entry: JournalEntry): void {
    this.entries.set(entry.executionArn, entry);
    this.append(entry);
  }

  update(executionArn: string, change: (entry: JournalEntry) => void): void {
    const entry = this.entries.get(executionArn);
    if (!entry) return;
    change(entry);
    this.append(entry);
  }

  private append(entry: JournalEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    // keep the file in proportion to what it describes
    if (++this.appended > 5000 && this.appended > 4 * this.entries.size) this.compact();
  }

  private compact(): void {
    this.appended = 0;
    const finished = [...this.entries.values()].filter((entry) => entry.status !== 'RUNNING');
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.entries.delete(entry.executionArn);
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, [...this.entries.values()].map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    renameSync(temporary, this.file);
  }
}
