// Each function's log, as CloudWatch Logs keeps one log group per function in AWS: what a handler
// writes to stdout or stderr while it runs (its log lines and its embedded-format metrics) goes to
// a file of its own under the data folder, not to the terminal, so the platform's own output stays
// readable under load. A write is the function's when it happens inside one of its invocations
// (followed through its awaits); anything else reaches the terminal as before.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

/** The function whose invocation is running, by registry entry (e.g. steps/check-details). */
const invoking = new AsyncLocalStorage<string>();

/** The file a function's log goes to: named as its log group is (journey-tracker-steps-check-details in AWS). */
export const logFileOf = (entry: string) => `${entry.replace(/\//g, '-')}.log`;

type Write = typeof process.stdout.write;

export class FunctionLogs {
  private readonly files = new Map<string, WriteStream>();
  private readonly restore: (() => void)[] = [];
  /** the terminal's stderr, as it was before: for what this class itself has to say */
  private readonly terminal = process.stderr.write.bind(process.stderr);

  /**
   * @param dir where the files go
   * @param onWrite told of every write, with the function's entry (the usage meter counts them)
   */
  constructor(
    readonly dir: string,
    private readonly onWrite?: (entry: string, text: string) => void,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write;
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const entry = invoking.getStore();
        if (entry === undefined) return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        this.file(entry).write(text);
        this.onWrite?.(entry, text);
        const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        if (done) process.nextTick(done);
        return true;
      }) as Write;
      this.restore.push(() => (stream.write = write));
    }
  }

  /** Runs one invocation of a function: what it writes goes to its file. */
  run<T>(entry: string, invocation: () => Promise<T>): Promise<T> {
    return invoking.run(entry, invocation);
  }

  private file(entry: string): WriteStream {
    let file = this.files.get(entry);
    if (!file) {
      file = createWriteStream(path.join(this.dir, logFileOf(entry)), { flags: 'a' });
      // a log that cannot be written (the folder removed, the disk full) is said once, never fatal
      file.once('error', (error) => this.terminal(`The log of ${entry} cannot be written: ${error.message}\n`));
      this.files.set(entry, file);
    }
    return file;
  }

  /** Resolves when everything written so far is in the files. */
  async flush(): Promise<void> {
    await Promise.all([...this.files.values()].map((file) => new Promise((resolve) => file.write('', resolve))));
  }

  /** Gives the terminal back its streams, and finishes writing the files. */
  async close(): Promise<void> {
    for (const undo of this.restore.splice(0)) undo();
    await Promise.all([...this.files.values()].map(async (file) => {
      file.end();
      await once(file, 'finish');
    }));
    this.files.clear();
  }
}
