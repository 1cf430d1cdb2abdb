// Runs the real Lambda handlers in this process, as the Lambda service would call them: the
// handler module under lambdas/, an event, and a context object.
import { randomUUID } from 'node:crypto';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', 'lambdas');

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const loaded = new Map<string, Handler>();

export function loadHandler(entry: string): Handler {
  let handler = loaded.get(entry);
  if (!handler) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(path.join(ROOT, entry)).handler as Handler;
    if (typeof handler !== 'function') throw new Error(`lambdas/${entry} exports no handler`);
    loaded.set(entry, handler);
  }
  return handler;
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
  return loadHandler(entry)(event, context);
}

/**
 * Forgets the loaded handlers, so a platform started later in the same process loads them again
 * with its own endpoints (handlers read them once, at load, as in Lambda).
 */
export function unloadHandlers(): void {
  loaded.clear();
  for (const file of Object.keys(require.cache)) if (file.startsWith(ROOT + path.sep)) delete require.cache[file];
}
