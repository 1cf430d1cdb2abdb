// Runs the real Lambda handlers in this process, as the Lambda service would call them: the
// handler module under lambdas/ (the sources), or the bundle CDK built for the function (a
// synthesised assembly's asset, see `useBundles`), an event, and a context object.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FunctionLogs } from './function-logs';

const ROOT = path.resolve(__dirname, '..', 'lambdas');

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const loaded = new Map<string, Handler>();

/** A function's deployed code: its bundle's file and the export Lambda calls (the function's Handler, e.g. index.handler). */
export interface Bundle {
  readonly file: string;
  readonly exportName: string;
}

/** The registry entry's bundle, by entry; empty when the handlers load from the sources. */
const bundles = new Map<string, Bundle>();
/** The files handlers were loaded from, by entry, so a test can tell what ran. */
const files = new Map<string, string>();

/**
 * From now on each of these entries loads from its bundle instead of lambdas/<entry>: the code
 * CDK deploys rather than the code it was built from. Call it before any handler loads.
 */
export function useBundles(byEntry: ReadonlyMap<string, Bundle>): void {
  if (loaded.size > 0) throw new Error('handlers are already loaded from the sources: choose the bundles before the first invocation');
  for (const [entry, bundle] of byEntry) bundles.set(entry, bundle);
}

export function loadHandler(entry: string): Handler {
  let handler = loaded.get(entry);
  if (!handler) {
    const bundle = bundles.get(entry);
    const file = bundle ? bundle.file : path.join(ROOT, entry);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(file);
    handler = module[bundle?.exportName ?? 'handler'] as Handler;
    if (typeof handler !== 'function') throw new Error(`${bundle ? bundle.file : `lambdas/${entry}`} exports no ${bundle?.exportName ?? 'handler'}`);
    loaded.set(entry, handler);
    files.set(entry, require.resolve(file));
  }
  return handler;
}

/** Each entry loaded so far and the file it came from. */
export function loadedFiles(): ReadonlyMap<string, string> {
  return new Map(files);
}

/** What the platform wants to know of each invocation: where its log goes, and how long it took. */
export interface InvocationHooks {
  readonly logs?: FunctionLogs;
  readonly onInvoked?: (entry: string, ms: number) => void;
}
let hooks: InvocationHooks = {};

/** From now on each invocation writes its log to `logs` and is timed for `onInvoked` (until unloadHandlers). */
export function useInvocationHooks(next: InvocationHooks): void {
  hooks = next;
}

export async function invoke(entry: string, event: unknown): Promise<unknown> {
  const functionName = `journey-tracker-${entry.replace(/\//g, '-')}`;
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  const handler = loadHandler(entry);
  const { logs, onInvoked } = hooks;
  const run = () => handler(event, context);
  if (!logs && !onInvoked) return run();
  const started = performance.now();
  try {
    return await (logs ? logs.run(entry, run) : run());
  } finally {
    onInvoked?.(entry, performance.now() - started);
  }
}

/**
 * Forgets the loaded handlers (and the bundles chosen), so a platform started later in the same
 * process loads them again with its own endpoints (handlers read them once, at load, as in Lambda).
 */
export function unloadHandlers(): void {
  // a bundle is one file, with everything it imports inside it
  const bundleFiles = new Set([...files].filter(([entry]) => bundles.has(entry)).map(([, file]) => file));
  loaded.clear();
  files.clear();
  bundles.clear();
  hooks = {};
  for (const file of Object.keys(require.cache)) if (file.startsWith(ROOT + path.sep) || bundleFiles.has(file)) delete require.cache[file];
}
