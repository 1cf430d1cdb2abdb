// What the local Step Functions must not keep only in memory: every running execution, the
// state it is in and that state's input, the deadline of a callback wait, and a callback's
// result the moment it arrives. Written atomically (temporary file, then rename) so a SIGKILL at
// any moment leaves the last complete journal; on restart, running executions resume from it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

export class ExecutionJournal {
  private readonly entries = new Map<string, JournalEntry>();

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (existsSync(file)) {
      for (const entry of JSON.parse(readFileSync(file, 'utf8')) as JournalEntry[]) this.entries.set(entry.executionArn, entry);
    }
  }

  running(): JournalEntry[] {
    return [...this.entries.values()].filter((entry) => entry.status === 'RUNNING' && entry.state);
  }

  all(): JournalEntry[] {
    return [...this.entries.values()];
  }

  record(entry: JournalEntry): void {
    this.entries.set(entry.executionArn, entry);
    this.save();
  }

  update(executionArn: string, change: (entry: JournalEntry) => void): void {
    const entry = this.entries.get(executionArn);
    if (!entry) return;
    change(entry);
    this.save();
  }

  private save(): void {
    // Finished executions are kept for DescribeExecution after a restart, up to a point.
    if (this.entries.size > 5000) {
      for (const [arn, entry] of this.entries) if (entry.status !== 'RUNNING' && this.entries.size > 4000) this.entries.delete(arn);
    }
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify([...this.entries.values()]));
    renameSync(temporary, this.file);
  }
}
