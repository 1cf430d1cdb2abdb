// The local Step Functions: the journeys' ASL files run by aws-local-stepfunctions, with the
// few things it leaves out done here the way AWS does them: Lambda service integrations
// (`lambda:invoke` wraps the result in Payload; `.waitForTaskToken` waits for SendTaskSuccess),
// task tokens, execution names, and the SFN API calls the handlers make.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import type { ExecutionJournal, JournalEntry } from './execution-journal';

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

const REGION = 'eu-west-2';
const ACCOUNT = '000000000000';

export class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export interface JourneyDefinition {
  readonly name: string;
  readonly file: string;
}

export interface LocalStepFunctionsOptions {
  readonly journeys: readonly JourneyDefinition[];
  /** `${...}` substitutions in the ASL files */
  readonly substitutions: Readonly<Record<string, string>>;
  /** calls a Lambda function (by the ARN the ASL names) with a payload */
  readonly invokeFunction: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** for tests: replace a task state's timeout (seconds), as if the service standard were that long */
  readonly taskTimeoutSeconds?: Readonly<Record<string, number>>;
  /** for tests: retry intervals in milliseconds per state, as aws-local-stepfunctions takes them */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  /** where running executions are kept, so they survive a restart (or a SIGKILL) */
  readonly journal?: ExecutionJournal;
}

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: Status;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly done: Promise<void>;
  /** what a resumed execution carries over from before the restart, used once */
  resume?: Pick<JournalEntry, 'wait' | 'completed'>;
}

interface PendingTask {
  readonly executionArn: string;
  readonly state: string;
  settled: 'waiting' | 'timed-out' | 'closed';
  cancel(): void;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

export const stateMachineArn = (name: string): string => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;

export class LocalStepFunctions {
  // Validated once: the interpreter validates a definition (with asl-validator) on construction,
  // which costs far more than running a journey's state.
  private readonly machines = new Map<string, { name: string; definition: Record<string, any>; interpreter: StateMachine }>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, PendingTask>();
  private readonly running = new Set<{ abort: () => void }>();
  private stopped = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    for (const journey of options.journeys) {
      const text = readFileSync(journey.file, 'utf8').replace(/\$\{(\w+)\}/g, (whole, key: string) => options.substitutions[key] ?? whole);
      const definition = JSON.parse(text);
      prepareTimeouts(definition, options.taskTimeoutSeconds ?? {});
      const interpreter = new StateMachine(definition, { validationOptions: { checkArn: false } });
      this.machines.set(stateMachineArn(journey.name), { name: journey.name, definition, interpreter });
    }
  }

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): { executionArn: string; startDate: number } {
    const machine = this.machines.get(request.stateMachineArn ?? '');
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State machine does not exist: '${request.stateMachineArn}'`);
    const name = request.name ?? randomBytes(16).toString('hex');
    if (!/^[\w-]{1,80}$/.test(name)) throw new SfnError('InvalidName', `Invalid execution name: '${name}'`);
    const input = request.input ?? '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
    }
    const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    // AWS remembers finished executions' names too (for 90 days); the journal does across restarts.
    if (!existing && this.options.journal?.find(executionArn)) {
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    if (existing) {
      // AWS: the same name and input while running is idempotent; anything else is a conflict
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: existing.startDate.getTime() / 1000 };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const startDate = new Date();
    let finish!: () => void;
    const execution: Execution = {
      executionArn,
      stateMachineArn: stateMachineArn(machine.name),
      name,
      input,
      startDate,
      status: 'RUNNING',
      done: new Promise<void>((resolve) => (finish = resolve)),
    };
    this.executions.set(executionArn, execution);
    this.options.journal?.record({ executionArn, stateMachineArn: execution.stateMachineArn, name, input, startDate: startDate.getTime(), status: 'RUNNING' });
    this.run(execution, machine.definition, machine.interpreter, parsed).finally(finish);
    return { executionArn, startDate: startDate.getTime() / 1000 };
  }

  /**
   * Resumes the executions that were running when the platform last stopped (or was killed):
   * each runs the same definition from the state it was in, with that state's input. A step
   * that was under way runs again (steps are idempotent); a callback wait keeps its deadline.
   */
  resume(): number {
    const entries = this.options.journal?.running() ?? [];
    for (const entry of entries) {
      const machine = [...this.machines.entries()].find(([arn]) => arn === entry.stateMachineArn)?.[1];
      if (!machine || this.executions.has(entry.executionArn)) continue;
      let finish!: () => void;
      const execution: Execution = {
        executionArn: entry.executionArn,
        stateMachineArn: entry.stateMachineArn,
        name: entry.name,
        input: entry.input,
        startDate: new Date(entry.startDate),
        status: 'RUNNING',
        done: new Promise<void>((resolve) => (finish = resolve)),
        resume: { wait: entry.wait, completed: entry.completed },
      };
      this.executions.set(entry.executionArn, execution);
      // Resuming starts at the state the execution was in; the definition was validated above.
      const resumed = new StateMachine({ ...machine.definition, StartAt: entry.state } as any, { validationOptions: { noValidate: true } });
      this.run(execution, machine.definition, resumed, entry.stateInput).finally(finish);
    }
    return entries.length;
  }

  private async run(execution: Execution, definition: Record<string, any>, machine: StateMachine, input: unknown): Promise<void> {
    let lastToken = '';
    const context = {
      Execution: { Id: execution.executionArn, Name: execution.name, RoleArn: `arn:aws:iam::${ACCOUNT}:role/local` },
      StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineArn.split(':').pop() },
      // a fresh token each time a state reads $$.Task.Token
      Task: {
        get Token() {
          lastToken = Buffer.from(JSON.stringify({ e: execution.executionArn, n: randomBytes(12).toString('hex') })).toString('base64url');
          return lastToken;
        },
      },
    };
    const handlers: Record<string, (input: any) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries<any>(definition.States)) {
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource === 'arn:aws:states:::lambda:invoke') {
        handlers[stateName] = async (effective) => ({
          Payload: await this.invokeUnlessStopped(effective.FunctionName, effective.Payload ?? {}),
          StatusCode: 200,
          ExecutedVersion: '$LATEST',
        });
      } else if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
        handlers[stateName] = async ({ [TIMEOUT_PARAMETER]: timeoutSeconds, ...effective }) => {
          const token = lastToken;
          const resumed = execution.resume;
          execution.resume = undefined;
          // The result arrived just before a restart: carry on with it.
          if (resumed?.completed?.state === stateName) return resumed.completed.output;
          const deadline = resumed?.wait?.state === stateName ? resumed.wait.deadline : Date.now() + Number(timeoutSeconds) * 1000;
          this.options.journal?.update(execution.executionArn, (entry) => (entry.wait = { state: stateName, deadline }));
          let timer: Timer | undefined;
          const result = new Promise<unknown>((resolve, reject) => {
            const pending: PendingTask = { executionArn: execution.executionArn, state: stateName, settled: 'waiting', cancel: () => timer?.cancel(), resolve, reject };
            this.tokens.set(token, pending);
            timer = longTimeout(deadline - Date.now(), () => {
              pending.settled = 'timed-out';
              reject(Object.assign(new Error('States.Timeout'), { name: 'States.Timeout' }));
            });
          });
          // The wait can time out while the step is still running: it is awaited below.
          result.catch(() => undefined);
          try {
            await this.invokeUnlessStopped(effective.FunctionName, effective.Payload ?? {});
            return await result;
          } catch (error) {
            if ((error as Error).name !== 'States.Timeout') this.tokens.delete(token);
            throw error;
          } finally {
            timer?.cancel();
          }
        };
      } else if (resource.startsWith('arn:aws:lambda:')) {
        handlers[stateName] = (effective) => this.invokeUnlessStopped(resource, effective);
      }
    }
    const run = machine.run(input as any, {
      context,
      overrides: { taskResourceLocalHandlers: handlers as any, retryIntervalOverrides: this.options.retryIntervalOverrides as any },
    });
    this.running.add(run);
    const watching = this.watch(execution, run.eventLogs);
    try {
      const output = await run.result;
      execution.status = 'SUCCEEDED';
      execution.output = JSON.stringify(output);
    } catch (error: any) {
      const cause = error?.cause ?? error;
      execution.status = error?.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : error?.name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
      execution.error = String(cause?.name ?? 'Error');
      execution.cause = String(cause?.message ?? '');
    } finally {
      execution.stopDate = new Date();
      this.running.delete(run);
      // A run aborted because the platform is stopping resumes at the next start.
      if (!(this.stopped && execution.status === 'ABORTED')) {
        this.options.journal?.update(execution.executionArn, (entry) => (entry.status = execution.status));
      }
      for (const [token, pending] of this.tokens) {
        if (pending.executionArn === execution.executionArn) this.tokens.delete(token);
      }
      await watching.catch(() => undefined);
    }
  }

  /** Once stopped, no new step starts: its writes would land in a closed database. */
  private async invokeUnlessStopped(functionArn: string, payload: unknown): Promise<unknown> {
    if (this.stopped) throw Object.assign(new Error('the local platform stopped'), { name: 'States.Runtime' });
    return this.options.invokeFunction(functionArn, payload);
  }

  /** Follows the event log: a waiting state that ends without its token closes the token. */
  private async watch(execution: Execution, events: AsyncGenerator<EventLog>): Promise<void> {
    for await (const event of events) {
      if (process.env.DEBUG_JOURNEYS) console.log(JSON.stringify(event).slice(0, 400));
      if (event.type === 'StateEntered' && !this.stopped) {
        this.options.journal?.update(execution.executionArn, (entry) => {
          entry.state = event.state.name;
          entry.stateInput = event.state.input;
          if (entry.wait?.state !== event.state.name) delete entry.wait;
          if (entry.completed?.state !== event.state.name) delete entry.completed;
        });
      }
      if (!('state' in event) || event.type === 'StateEntered') continue;
      for (const pending of this.tokens.values()) {
        if (pending.executionArn !== execution.executionArn || pending.state !== event.state.name || pending.settled !== 'waiting') continue;
        pending.settled = 'closed';
      }
    }
  }

  private settle(taskToken: string | undefined): PendingTask {
    const pending = this.tokens.get(taskToken ?? '');
    if (!pending) {
      const valid = (() => {
        try {
          return Boolean(JSON.parse(Buffer.from(String(taskToken), 'base64url').toString('utf8')).e);
        } catch {
          return false;
        }
      })();
      if (!valid) throw new SfnError('InvalidToken', 'Invalid Token');
      throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist');
    }
    if (pending.settled === 'timed-out') {
      this.tokens.delete(taskToken!);
      throw new SfnError('TaskTimedOut', 'Task Timed Out');
    }
    if (pending.settled === 'closed') {
      this.tokens.delete(taskToken!);
      throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist');
    }
    this.tokens.delete(taskToken!);
    return pending;
  }

  sendTaskSuccess(request: { taskToken?: string; output?: string }): Record<string, never> {
    let output: unknown;
    try {
      output = JSON.parse(request.output ?? '');
    } catch {
      throw new SfnError('InvalidOutput', 'Invalid Output');
    }
    const pending = this.settle(request.taskToken);
    // Kept before the journey sees it: a restart right after this still has the decision.
    this.options.journal?.update(pending.executionArn, (entry) => (entry.completed = { state: pending.state, output }));
    pending.resolve(output);
    return {};
  }

  sendTaskFailure(request: { taskToken?: string; error?: string; cause?: string }): Record<string, never> {
    const failure = new Error(request.cause ?? '');
    failure.name = request.error ?? 'States.TaskFailed';
    this.settle(request.taskToken).reject(failure);
    return {};
  }

  sendTaskHeartbeat(request: { taskToken?: string }): Record<string, never> {
    const pending = this.tokens.get(request.taskToken ?? '');
    if (!pending || pending.settled !== 'waiting') throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist');
    return {};
  }

  describeExecution(request: { executionArn?: string }) {
    const execution = this.executions.get(request.executionArn ?? '');
    if (!execution) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${request.executionArn}'`);
    const { done: _done, startDate, stopDate, ...visible } = execution;
    return { ...visible, startDate: startDate.getTime() / 1000, ...(stopDate ? { stopDate: stopDate.getTime() / 1000 } : {}) };
  }

  execution(executionArn: string): Execution | undefined {
    return this.executions.get(executionArn);
  }

  /** The SFN JSON protocol (awsJson1_0), for the SDK's AWS_ENDPOINT_URL_SFN. */
  handle(target: string, body: Record<string, any>): unknown {
    switch (target) {
      case 'StartExecution':
        return this.startExecution(body);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(body);
      case 'SendTaskFailure':
        return this.sendTaskFailure(body);
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat(body);
      case 'DescribeExecution':
        return this.describeExecution(body);
      default:
        throw new SfnError('UnknownOperationException', `The local Step Functions does not do ${target}`);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const run of this.running) run.abort();
    // Settle every wait, so the interpreter clears its own timers for them too.
    for (const pending of this.tokens.values()) {
      pending.cancel();
      pending.reject(Object.assign(new Error('the local platform stopped'), { name: 'States.Runtime' }));
    }
    this.tokens.clear();
  }
}

/** Node timers hold at most 2^31-1 ms (24.8 days); service standards can be longer. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
const TIMEOUT_PARAMETER = '__localTimeoutSeconds';

interface Timer {
  cancel(): void;
}

function longTimeout(ms: number, fire: () => void): Timer {
  let handle: NodeJS.Timeout;
  const due = Date.now() + (Number.isFinite(ms) && ms > 0 ? ms : 60_000);
  const arm = () => {
    const left = due - Date.now();
    handle = left > 0 ? setTimeout(arm, Math.min(left, MAX_TIMER_MS)) : setTimeout(fire, 0);
    handle.unref(); // a journey waiting for weeks must not keep a stopped platform's process alive
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}

/**
 * aws-local-stepfunctions times task states with one Node timer, which cannot wait longer than
 * 24.8 days, and ignores nothing: a callback wait of 20 working days would fire at once. So
 * callback waits are timed here instead: the state's timeout (or the test override) is passed
 * to the local handler as a hidden parameter, and the interpreter's own timer is set to its
 * longest safe value.
 */
function prepareTimeouts(definition: Record<string, any>, overrides: Readonly<Record<string, number>>): void {
  if (definition.TimeoutSeconds > MAX_TIMEOUT_SECONDS) definition.TimeoutSeconds = MAX_TIMEOUT_SECONDS;
  for (const [name, state] of Object.entries<any>(definition.States)) {
    if (state.Type !== 'Task' || !String(state.Resource).endsWith('.waitForTaskToken')) continue;
    const override = overrides[name];
    if (override !== undefined) state.Parameters[TIMEOUT_PARAMETER] = override;
    else if (state.TimeoutSecondsPath) state.Parameters[`${TIMEOUT_PARAMETER}.$`] = state.TimeoutSecondsPath;
    else state.Parameters[TIMEOUT_PARAMETER] = state.TimeoutSeconds ?? 99_999_999;
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = MAX_TIMEOUT_SECONDS;
  }
}
