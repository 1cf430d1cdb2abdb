// What the local Step Functions can run, and how it readies a journey definition for the
// interpreter: ASL it does not emulate is refused at start, naming the state, and the timeouts
// a Node timer cannot hold are taken out to be timed exactly by local/step-functions.ts.
export const INVOKE = 'arn:aws:states:::lambda:invoke';
export const INVOKE_AND_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const FUNCTION_ARN = /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/;

/** Node timers hold at most 2^31-1 ms (24.8 days); service standards and journeys last longer. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
/** The error that ends an attempt of a long callback wait, so the next attempt waits on. */
export const CONTINUE_WAIT = 'Local.WaitContinues';
export const TIMEOUT_PARAMETER = '__localTimeoutSeconds';
export const HEARTBEAT_PARAMETER = '__localHeartbeatSeconds';

/**
 * What the local Step Functions cannot run, said at start rather than found out mid-journey:
 * JSONata, variables, Parallel and Map states, and tasks other than Lambda's.
 */
export function refusals(definition: Record<string, any>, within: string[] = []): string[] {
  const found: string[] = [];
  if (within.length === 0 && definition.QueryLanguage === 'JSONata') {
    found.push('it uses JSONata ("QueryLanguage": "JSONata" at the top level); the local Step Functions evaluates JSONPath only');
  }
  for (const [name, state] of Object.entries<any>(definition.States ?? {})) {
    const called = `state "${[...within, name].join(' > ')}"`;
    if (state.QueryLanguage === 'JSONata') found.push(`${called} uses JSONata ("QueryLanguage": "JSONata"); the local Step Functions evaluates JSONPath only`);
    if (state.Assign !== undefined) found.push(`${called} assigns variables ("Assign"), which the local Step Functions does not keep`);
    if (state.Type === 'Parallel' || state.Type === 'Map') {
      found.push(
        `${called} is a ${state.Type} state, which the local Step Functions does not emulate: its journal keeps one current state and one callback wait per execution, ` +
          `so branches or iterations running at once could not resume after a restart, and their task states would get no Lambda integration or task token here ` +
          `(aws-local-stepfunctions would call AWS Lambda for them)`,
      );
      const inner = state.Type === 'Parallel' ? (state.Branches ?? []).map((branch: any, i: number) => [branch, `branch ${i + 1}`]) : [[state.ItemProcessor ?? state.Iterator ?? {}, 'each item']];
      for (const [branch, label] of inner) found.push(...refusals(branch, [...within, name, label]));
    }
    if (state.Type === 'Task') {
      const resource = String(state.Resource);
      if (/\$\{\w+\}/.test(resource)) found.push(`${called} calls ${resource}, for which no substitution was given`);
      else if (resource !== INVOKE && resource !== INVOKE_AND_WAIT && !FUNCTION_ARN.test(resource)) {
        found.push(`${called} calls ${resource}; the local Step Functions runs Lambda tasks only (${INVOKE}, ${INVOKE_AND_WAIT}, or a function's ARN)`);
      } else if (resource === INVOKE_AND_WAIT && !JSON.stringify(state.Parameters ?? null).includes('$$.Task.Token')) {
        found.push(`${called} waits for a task token but does not pass $$.Task.Token in its Parameters, so nothing could answer it`);
      }
    }
  }
  return found;
}

/**
 * Readies a definition for the interpreter, which times the execution and each task with one
 * Node timer (24.8 days at most, and a longer one fires at once). So this times them instead:
 * - the execution's TimeoutSeconds is taken out, and timed exactly by `run`;
 * - a callback wait's timeout (or the test override) and heartbeat go to the local handler as
 *   hidden parameters; the interpreter's own timer is set to its longest safe value, and a first
 *   retrier carries a wait longer than that into the state's next attempt (`awaitCallback`).
 */
export function prepare(definition: Record<string, any>, timeouts: Readonly<Record<string, number>>, retryIntervals: Readonly<Record<string, number | number[]>>) {
  const timeoutSeconds: number | undefined = definition.TimeoutSeconds;
  delete definition.TimeoutSeconds;
  const retryIntervalOverrides: Record<string, number | number[]> = { ...retryIntervals };
  for (const [name, state] of Object.entries<any>(definition.States)) {
    if (state.Type !== 'Task' || state.Resource !== INVOKE_AND_WAIT) continue;
    const override = timeouts[name];
    if (override !== undefined) state.Parameters[TIMEOUT_PARAMETER] = override;
    else if (state.TimeoutSecondsPath) state.Parameters[`${TIMEOUT_PARAMETER}.$`] = state.TimeoutSecondsPath;
    else state.Parameters[TIMEOUT_PARAMETER] = state.TimeoutSeconds ?? 99_999_999;
    if (state.HeartbeatSecondsPath) state.Parameters[`${HEARTBEAT_PARAMETER}.$`] = state.HeartbeatSecondsPath;
    else if (state.HeartbeatSeconds !== undefined) state.Parameters[HEARTBEAT_PARAMETER] = state.HeartbeatSeconds;
    delete state.TimeoutSecondsPath;
    delete state.HeartbeatSeconds;
    delete state.HeartbeatSecondsPath;
    state.TimeoutSeconds = MAX_TIMEOUT_SECONDS;
    const retriers: any[] = state.Retry ?? [];
    // AWS: a retrier or catcher of States.Timeout also takes a missed heartbeat
    for (const rule of [...retriers, ...(state.Catch ?? [])]) {
      if (rule.ErrorEquals.includes('States.Timeout') && !rule.ErrorEquals.includes('States.HeartbeatTimeout')) rule.ErrorEquals.push('States.HeartbeatTimeout');
    }
    state.Retry = [{ ErrorEquals: [CONTINUE_WAIT], IntervalSeconds: 1, MaxAttempts: 99_999_999, BackoffRate: 1 }, ...retriers];
    // the retrier's interval is none at all; the state's own retriers keep theirs, one place on
    const given = retryIntervals[name];
    retryIntervalOverrides[name] = [0, ...(given === undefined ? [] : typeof given === 'number' ? retriers.map(() => given) : given)];
  }
  return { timeoutSeconds, retryIntervalOverrides };
}
