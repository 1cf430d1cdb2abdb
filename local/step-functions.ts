// The local Step Functions: the journeys' ASL run by aws-local-stepfunctions, with what it leaves
// out done here the way AWS does it: Lambda service integrations (`lambda:invoke` wraps the result
// in Payload; `.waitForTaskToken` waits for SendTaskSuccess), a task token per task, timeouts
// longer than a Node timer, execution names and history, and the SFN API calls the handlers and
// an engineer's awscli make. ASL it does not emulate is refused at start, naming the state.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { CONTINUE_WAIT, HEARTBEAT_PARAMETER, INVOKE, INVOKE_AND_WAIT, MAX_TIMER_MS, TIMEOUT_PARAMETER, prepare, refusals } from './asl-emulation';
import type { UsageMeter } from './usage';
import { ExecutionJournal, type ExecutionStatus, type HistoryEvent, type JournalEntry, type NewHistoryEvent } from './execution-journal';

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
  /** the state machine's name, e.g. application-journey */
  readonly name: string;
  /** the ASL file, with `${...}` substitutions */
  readonly file?: string;
  /** or the ASL itself (text or parsed), when it is not a file of its own */
  readonly definition?: string | Readonly<Record<string, unknown>>;
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
  /** where executions are kept, so they survive a restart (or a SIGKILL); in memory if not given */
  readonly journal?: ExecutionJournal;
  /** prints every state the journeys enter and leave (`DEBUG_JOURNEYS=1 npm start`) */
  readonly debug?: boolean;
  /** told of each execution started and each state entered (retries included), as AWS bills Standard workflows */
  readonly meter?: Pick<UsageMeter, 'executionStarted' | 'stateEntered'>;
  /** for the ARNs it makes; eu-west-2 and 000000000000 unless given */
  readonly region?: string;
  readonly account?: string;
}

type Status = ExecutionStatus;

interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  /** started through the alias (`…:live`): the alias, and the version it pointed at */
  readonly stateMachineAliasArn?: string;
  readonly stateMachineVersionArn?: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  /** when the execution times out (ms since the epoch): the definition's TimeoutSeconds from the start */
  readonly deadline?: number;
  status: Status;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly done: Promise<void>;
  /** what a resumed execution carries over from before the restart, used once */
  resume?: Pick<JournalEntry, 'wait' | 'completed'>;
  /** the task attempt under way, whose end goes into the history once */
  task?: TaskAttempt;
  /** a callback wait longer than the interpreter's task timer, carried into the state's next attempt */
  continuing?: CallbackWait;
  /** its deadline passed: no step starts any more */
  timedOut?: boolean;
}

interface Machine {
  readonly name: string;
  readonly arn: string;
  /** the ASL as it was loaded (substitutions made), for DescribeStateMachine */
  readonly text: string;
  /** the definition as the interpreter runs it (see `prepare`) */
  readonly definition: Record<string, any>;
  readonly interpreter: StateMachine;
  /** the definition's own TimeoutSeconds, timed here rather than by the interpreter */
  readonly timeoutSeconds?: number;
  readonly retryIntervalOverrides: Record<string, number | number[]>;
  readonly creationDate: Date;
}

interface PendingTask {
  readonly executionArn: string;
  readonly state: string;
  settled: 'waiting' | 'timed-out' | 'closed';
  cancel(): void;
  resolve(output: unknown): void;
  reject(error: Error): void;
  /** a heartbeat: the HeartbeatSeconds clock starts again */
  beat(): void;
}

/** One attempt of a task state, as the history tells it: scheduled, started, then one ending. */
interface TaskAttempt {
  readonly state: string;
  /** `invoke` or `invoke.waitForTaskToken` (resourceType lambda), or a function's ARN */
  readonly resource: string;
  told: boolean;
}

interface CallbackWait {
  readonly state: string;
  readonly token: string;
  readonly task: TaskAttempt;
  readonly pending: PendingTask;
  readonly result: Promise<unknown>;
}

export const stateMachineArn = (name: string, region = REGION, account = ACCOUNT): string => `arn:aws:states:${region}:${account}:stateMachine:${name}`;

/**
 * Each state machine here is one published version (1) behind the alias AWS has for it
 * (lib/journeys.ts): `live`, which routes every execution to that version.
 */
export const LIVE_ALIAS = 'live';
const VERSION = '1';
export const liveAliasArn = (name: string, region = REGION, account = ACCOUNT): string => `${stateMachineArn(name, region, account)}:${LIVE_ALIAS}`;

/** What a state machine ARN names: the machine, and the alias or version when it is qualified. */
interface Target {
  readonly machine: Machine;
  readonly stateMachineAliasArn?: string;
  readonly stateMachineVersionArn?: string;
}

export class LocalStepFunctions {
  // Validated once: the interpreter validates a definition (with asl-validator) on construction,
  // which costs far more than running a journey's state.
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, PendingTask>();
  private readonly running = new Set<{ abort: () => void }>();
  private readonly journal: ExecutionJournal;
  private readonly region: string;
  private readonly account: string;
  private stopped = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.region = options.region ?? REGION;
    this.account = options.account ?? ACCOUNT;
    this.journal = options.journal ?? new ExecutionJournal();
    const created = new Date();
    for (const journey of options.journeys) this.load(journey, created);
  }

  private get roleArn(): string {
    return `arn:aws:iam::${this.account}:role/local`;
  }

  /** Loads one state machine, or refuses it, saying which states it cannot run and why. */
  private load(journey: JourneyDefinition, creationDate: Date): void {
    const where = `${journey.name} (${journey.file ?? 'definition passed in'})`;
    const raw = journey.definition === undefined ? readFileSync(journey.file!, 'utf8') : typeof journey.definition === 'string' ? journey.definition : JSON.stringify(journey.definition, null, 2);
    const text = raw.replace(/\$\{(\w+)\}/g, (whole, key: string) => this.options.substitutions[key] ?? whole);
    let definition: Record<string, any>;
    try {
      definition = JSON.parse(text);
    } catch (error) {
      throw new Error(`The state machine ${where} is not JSON: ${(error as Error).message}`);
    }
    const refused = refusals(definition);
    if (refused.length > 0) {
      throw new Error(`The local Step Functions cannot run the state machine ${where}:\n${refused.map((reason) => `  - ${reason}`).join('\n')}`);
    }
    const { timeoutSeconds, retryIntervalOverrides } = prepare(definition, this.options.taskTimeoutSeconds ?? {}, this.options.retryIntervalOverrides ?? {});
    let interpreter: StateMachine;
    try {
      interpreter = new StateMachine(definition as any, { validationOptions: { checkArn: false } });
    } catch (error) {
      throw new Error(`The state machine ${where} is not valid ASL: ${(error as Error).message}`);
    }
    const arn = stateMachineArn(journey.name, this.region, this.account);
    this.machines.set(arn, { name: journey.name, arn, text, definition, interpreter, timeoutSeconds, retryIntervalOverrides, creationDate });
  }

  /**
   * The machine an ARN names, unqualified (`…:stateMachine:<name>`) or qualified by its alias
   * (`…:<name>:live`, which AWS resolves to the version the alias points at) or its version
   * (`…:<name>:1`); anything else names nothing.
   */
  private target(arn: string | undefined): Target | undefined {
    const machine = this.machines.get(arn ?? '');
    if (machine) return { machine };
    const qualified = /^(.*:stateMachine:[^:]+):([^:]+)$/.exec(arn ?? '');
    const base = qualified && this.machines.get(qualified[1]);
    if (!base) return undefined;
    if (qualified[2] === LIVE_ALIAS) return { machine: base, stateMachineAliasArn: arn, stateMachineVersionArn: `${base.arn}:${VERSION}` };
    if (qualified[2] === VERSION) return { machine: base, stateMachineVersionArn: arn };
    return undefined;
  }

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): { executionArn: string; startDate: number } {
    const target = this.target(request.stateMachineArn);
    if (!target) throw new SfnError('StateMachineDoesNotExist', `State machine does not exist: '${request.stateMachineArn}'`);
    const { machine, stateMachineAliasArn, stateMachineVersionArn } = target;
    const qualifiers = { ...(stateMachineAliasArn ? { stateMachineAliasArn } : {}), ...(stateMachineVersionArn ? { stateMachineVersionArn } : {}) };
    const name = request.name ?? randomBytes(16).toString('hex');
    if (!/^[\w-]{1,80}$/.test(name)) throw new SfnError('InvalidName', `Invalid execution name: '${name}'`);
    const input = request.input ?? '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
    }
    const executionArn = `arn:aws:states:${this.region}:${this.account}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    // AWS remembers finished executions' names too (for 90 days); the journal does across restarts.
    if (!existing && this.journal.find(executionArn)) {
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    if (existing) {
      // AWS: the same name and input while running is idempotent; anything else is a conflict
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: existing.startDate.getTime() / 1000 };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const startDate = new Date();
    // Exact, however long: journalled, and timed by longTimeout rather than one Node timer.
    const deadline = machine.timeoutSeconds === undefined ? undefined : startDate.getTime() + machine.timeoutSeconds * 1000;
    let finish!: () => void;
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      ...qualifiers,
      name,
      input,
      startDate,
      deadline,
      status: 'RUNNING',
      done: new Promise<void>((resolve) => (finish = resolve)),
    };
    this.executions.set(executionArn, execution);
    this.journal.record(
      { executionArn, stateMachineArn: machine.arn, ...qualifiers, name, input, startDate: startDate.getTime(), ...(deadline === undefined ? {} : { deadline }), status: 'RUNNING' },
      { type: 'ExecutionStarted', executionStartedEventDetails: { input, inputDetails: { truncated: false }, roleArn: this.roleArn } },
    );
    this.options.meter?.executionStarted();
    this.run(execution, machine, machine.interpreter, parsed).finally(finish);
    return { executionArn, startDate: startDate.getTime() / 1000 };
  }

  /**
   * Resumes the executions that were running when the platform last stopped (or was killed):
   * each runs the same definition from the state it was in, with that state's input. A step
   * that was under way runs again (steps are idempotent); a callback wait and the execution
   * keep their deadlines.
   */
  resume(): number {
    const entries = this.journal.running();
    for (const entry of entries) {
      const machine = this.machines.get(entry.stateMachineArn);
      if (!machine || this.executions.has(entry.executionArn)) continue;
      let finish!: () => void;
      const execution: Execution = {
        executionArn: entry.executionArn,
        stateMachineArn: entry.stateMachineArn,
        ...(entry.stateMachineAliasArn ? { stateMachineAliasArn: entry.stateMachineAliasArn } : {}),
        ...(entry.stateMachineVersionArn ? { stateMachineVersionArn: entry.stateMachineVersionArn } : {}),
        name: entry.name,
        input: entry.input,
        startDate: new Date(entry.startDate),
        deadline: entry.deadline,
        status: 'RUNNING',
        done: new Promise<void>((resolve) => (finish = resolve)),
        resume: { wait: entry.wait, completed: entry.completed },
      };
      this.executions.set(entry.executionArn, execution);
      // killed before it entered its first state: it starts from the beginning
      const state = entry.state ?? machine.definition.StartAt;
      const stateInput = entry.state === undefined ? JSON.parse(entry.input) : entry.stateInput;
      if (!(state in machine.definition.States)) {
        // the definition changed while the platform was stopped: say so rather than guess
        this.end(execution, 'FAILED', { error: 'States.Runtime', cause: `The state machine no longer has the state '${entry.state}' this execution was in.` });
        finish();
        continue;
      }
      // Resuming starts at the state the execution was in; the definition was validated above.
      const resumed = new StateMachine({ ...machine.definition, StartAt: state } as any, { validationOptions: { noValidate: true } });
      this.run(execution, machine, resumed, stateInput).finally(finish);
    }
    return entries.length;
  }

  private async run(execution: Execution, machine: Machine, interpreter: StateMachine, input: unknown): Promise<void> {
    if (execution.deadline !== undefined && execution.deadline <= Date.now()) {
      // it ran out of time while the platform was stopped
      return this.end(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: EXECUTION_TIMED_OUT });
    }
    const context = {
      Execution: { Id: execution.executionArn, Name: execution.name, RoleArn: this.roleArn, StartTime: execution.startDate.toISOString() },
      StateMachine: { Id: machine.arn, Name: machine.name },
      // Stands in for the token until the task's own handler issues one for that very task entry
      // (see `callback`): a token read here would belong to the execution, not to a task.
      Task: { Token: TASK_TOKEN },
    };
    const handlers: Record<string, (parameters: any) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries<any>(machine.definition.States)) {
      if (state.Type === 'Task') handlers[stateName] = this.taskHandler(execution, stateName, String(state.Resource));
    }
    const run = interpreter.run(input as any, {
      context,
      overrides: { taskResourceLocalHandlers: handlers as any, retryIntervalOverrides: machine.retryIntervalOverrides as any },
    });
    this.running.add(run);
    const timer =
      execution.deadline === undefined
        ? undefined
        : longTimeout(execution.deadline, () => {
            execution.timedOut = true;
            run.abort();
            this.closeTasks(execution, named('States.Timeout', EXECUTION_TIMED_OUT));
          });
    const watching = this.watch(execution, run.eventLogs);
    let status: Status;
    let outcome: { output?: string; error?: string; cause?: string } = {};
    try {
      status = 'SUCCEEDED';
      outcome = { output: JSON.stringify(await run.result) };
    } catch (error: any) {
      const cause = error?.cause ?? error;
      if (execution.timedOut) [status, outcome] = ['TIMED_OUT', { error: 'States.Timeout', cause: EXECUTION_TIMED_OUT }];
      else if (error?.name === 'ExecutionAbortedError') status = 'ABORTED';
      else [status, outcome] = ['FAILED', { error: String(cause?.name ?? 'Error'), cause: String(cause?.message ?? '') }];
    } finally {
      timer?.cancel();
      this.running.delete(run);
    }
    // the last state's events go into the history before the execution's end does
    await watching.catch(() => undefined);
    this.end(execution, status, outcome);
  }

  /** Ends an execution: its status, its history's last event, and its tokens closed. */
  private end(execution: Execution, status: Status, outcome: { output?: string; error?: string; cause?: string }): void {
    Object.assign(execution, { status, stopDate: new Date() }, outcome);
    this.closeTasks(execution, named('States.Runtime', `the execution ended (${status})`));
    // A run aborted because the platform is stopping resumes at the next start.
    if (this.stopped && status === 'ABORTED') return;
    const { output, error, cause } = outcome;
    const details =
      status === 'SUCCEEDED'
        ? { executionSucceededEventDetails: { output, outputDetails: { truncated: false } } }
        : status === 'ABORTED'
          ? { executionAbortedEventDetails: {} }
          : { [status === 'TIMED_OUT' ? 'executionTimedOutEventDetails' : 'executionFailedEventDetails']: { error, cause } };
    const type = { SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', TIMED_OUT: 'ExecutionTimedOut', ABORTED: 'ExecutionAborted', RUNNING: '' }[status];
    this.journal.update(
      execution.executionArn,
      (entry) => {
        Object.assign(entry, { status, stopDate: execution.stopDate!.getTime() }, outcome);
        // what only a running execution needs
        delete entry.stateInput;
        delete entry.wait;
        delete entry.completed;
      },
      { type, ...details },
    );
  }

  /** Settles every wait the execution has, so no timer of it outlives it and no token answers it. */
  private closeTasks(execution: Execution, reason: Error): void {
    for (const [token, pending] of this.tokens) {
      if (pending.executionArn !== execution.executionArn) continue;
      pending.cancel();
      if (pending.settled === 'waiting') pending.reject(reason);
      this.tokens.delete(token);
    }
  }

  /** What runs a task state: a Lambda invoked through the service integration, the callback pattern, or directly by its ARN. */
  private taskHandler(execution: Execution, stateName: string, resource: string): (parameters: any) => Promise<unknown> {
    return async (parameters) => {
      // The interpreter calls this in the same tick as it reports entering the state; a turn of
      // the event loop lets the watcher journal that first, so the history is in order.
      await new Promise((resolve) => setImmediate(resolve));
      if (resource === INVOKE_AND_WAIT) return this.callback(execution, stateName, parameters);
      const direct = resource !== INVOKE;
      const functionArn = direct ? resource : parameters.FunctionName;
      const payload = direct ? parameters : (parameters.Payload ?? {});
      const task = this.beginTask(execution, stateName, direct ? resource : 'invoke', parameters);
      try {
        const response = await this.invokeFor(execution, functionArn, payload);
        const output = direct ? response : { Payload: response, StatusCode: 200, ExecutedVersion: '$LATEST' };
        this.tell(execution, task, 'Succeeded', { output: JSON.stringify(output), outputDetails: { truncated: false } });
        return output;
      } catch (error) {
        this.tell(execution, task, 'Failed', failure(error));
        throw error;
      }
    };
  }

  /**
   * The callback pattern: a fresh token for this task entry (each attempt of it gets its own),
   * the Lambda invoked with it, then a wait for SendTaskSuccess or SendTaskFailure until the
   * state's timeout (kept exactly, and across restarts) or a missed heartbeat.
   */
  private async callback(execution: Execution, stateName: string, parameters: Record<string, any>): Promise<unknown> {
    const { [TIMEOUT_PARAMETER]: timeoutSeconds, [HEARTBEAT_PARAMETER]: heartbeatSeconds, ...rest } = parameters;
    const continuing = execution.continuing;
    execution.continuing = undefined;
    if (continuing?.state === stateName) return this.awaitCallback(execution, continuing);
    const resumed = execution.resume;
    execution.resume = undefined;
    // The result arrived just before a restart: carry on with it.
    if (resumed?.completed?.state === stateName) {
      if (resumed.completed.error) throw named(resumed.completed.error.name, resumed.completed.error.cause);
      return resumed.completed.output;
    }
    if (!(Number(timeoutSeconds) > 0)) throw named('States.Runtime', `The timeout of state '${stateName}' is not a positive number of seconds: ${JSON.stringify(timeoutSeconds)}`);
    if (heartbeatSeconds !== undefined && !(Number(heartbeatSeconds) > 0)) {
      throw named('States.Runtime', `The heartbeat of state '${stateName}' is not a positive number of seconds: ${JSON.stringify(heartbeatSeconds)}`);
    }
    const deadline = resumed?.wait?.state === stateName ? resumed.wait.deadline : Date.now() + Number(timeoutSeconds) * 1000;
    if (deadline <= Date.now()) {
      // it ran out while the platform was stopped: the step need not ask again
      const task = this.beginTask(execution, stateName, 'invoke.waitForTaskToken', rest);
      const timedOut = named('States.Timeout', `No answer in ${timeoutSeconds} seconds`);
      this.tell(execution, task, 'TimedOut', failure(timedOut));
      throw timedOut;
    }
    const token = Buffer.from(JSON.stringify({ e: execution.executionArn, s: stateName, n: randomBytes(12).toString('hex') })).toString('base64url');
    const effective = withToken(rest, token) as Record<string, any>;
    const task = this.beginTask(execution, stateName, 'invoke.waitForTaskToken', effective, {
      timeoutInSeconds: Math.round((deadline - Date.now()) / 1000),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: Number(heartbeatSeconds) }),
    });
    if (!this.stopped) this.journal.update(execution.executionArn, (entry) => (entry.wait = { state: stateName, deadline }));
    let pending!: PendingTask;
    const result = new Promise<unknown>((resolve, reject) => {
      let timer: Timer | undefined;
      let heartbeat: Timer | undefined;
      const timeOut = (error: Error) => {
        pending.settled = 'timed-out';
        pending.cancel();
        reject(error);
      };
      pending = {
        executionArn: execution.executionArn,
        state: stateName,
        settled: 'waiting',
        resolve,
        reject,
        cancel: () => {
          timer?.cancel();
          heartbeat?.cancel();
        },
        beat: () => {
          if (heartbeatSeconds === undefined) return;
          heartbeat?.cancel();
          heartbeat = longTimeout(Date.now() + Number(heartbeatSeconds) * 1000, () => timeOut(named('States.HeartbeatTimeout', `No heartbeat in ${heartbeatSeconds} seconds`)));
        },
      };
      timer = longTimeout(deadline, () => timeOut(named('States.Timeout', `No answer in ${timeoutSeconds} seconds`)));
      pending.beat();
    });
    // The wait can time out while the step is still running: it is awaited below.
    result.catch(() => undefined);
    this.tokens.set(token, pending);
    const wait: CallbackWait = { state: stateName, token, task, pending, result };
    try {
      const response = await this.invokeFor(execution, effective.FunctionName, effective.Payload ?? {});
      this.tell(execution, task, 'Submitted', { output: JSON.stringify({ Payload: response, StatusCode: 200, ExecutedVersion: '$LATEST' }), outputDetails: { truncated: false } }, false);
    } catch (error) {
      pending.cancel();
      if (pending.settled !== 'timed-out') this.tokens.delete(token);
      this.tell(execution, task, 'Failed', failure(error));
      throw error;
    }
    return this.awaitCallback(execution, wait);
  }

  /**
   * Waits for the callback. The interpreter times every task attempt with one Node timer, which
   * cannot wait past 24.8 days; a longer wait ends this attempt with CONTINUE_WAIT before that
   * timer fires, and the retrier `prepare` put first starts the next attempt at once, which
   * waits on with the same token and deadline.
   */
  private async awaitCallback(execution: Execution, wait: CallbackWait): Promise<unknown> {
    let slice: NodeJS.Timeout | undefined;
    const sliceEnds = new Promise<never>((_resolve, reject) => {
      slice = setTimeout(() => reject(named(CONTINUE_WAIT, 'the wait goes on in the next attempt')), WAIT_SLICE_MS);
      slice.unref();
    });
    try {
      const output = await Promise.race([wait.result, sliceEnds]);
      wait.pending.cancel();
      this.tell(execution, wait.task, 'Succeeded', { output: JSON.stringify(output), outputDetails: { truncated: false } });
      return output;
    } catch (error) {
      if ((error as Error).name === CONTINUE_WAIT) {
        execution.continuing = wait;
        throw error;
      }
      wait.pending.cancel();
      if (wait.pending.settled !== 'timed-out') this.tokens.delete(wait.token);
      const timedOut = ['States.Timeout', 'States.HeartbeatTimeout'].includes((error as Error).name);
      this.tell(execution, wait.task, timedOut ? 'TimedOut' : 'Failed', failure(error));
      throw error;
    } finally {
      clearTimeout(slice);
    }
  }

  /** A task attempt starts: TaskScheduled and TaskStarted (LambdaFunction… for a function's ARN). */
  private beginTask(execution: Execution, state: string, resource: string, parameters: unknown, limits: Record<string, number> = {}): TaskAttempt {
    const task: TaskAttempt = { state, resource, told: false };
    execution.task = task;
    if (this.stopped || execution.status !== 'RUNNING') return task;
    const direct = resource.startsWith('arn:');
    const scheduled = direct
      ? { type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource, input: JSON.stringify(parameters), inputDetails: { truncated: false }, ...limits } }
      : { type: 'TaskScheduled', taskScheduledEventDetails: { resourceType: 'lambda', resource, region: this.region, parameters: JSON.stringify(parameters), ...limits } };
    const started = direct ? { type: 'LambdaFunctionStarted' } : { type: 'TaskStarted', taskStartedEventDetails: { resourceType: 'lambda', resource } };
    this.journal.note(execution.executionArn, scheduled, started);
    return task;
  }

  /** How a task attempt went, told once; `Submitted` (the callback's Lambda returned) is not an ending. */
  private tell(execution: Execution, task: TaskAttempt, phase: 'Submitted' | 'Succeeded' | 'Failed' | 'TimedOut', details: Record<string, unknown>, ending = true): void {
    if (task.told || this.stopped || execution.status !== 'RUNNING') return;
    if (ending) task.told = true;
    const event: NewHistoryEvent = task.resource.startsWith('arn:')
      ? { type: `LambdaFunction${phase}`, [`lambdaFunction${phase}EventDetails`]: details }
      : { type: `Task${phase}`, [`task${phase}EventDetails`]: { resourceType: 'lambda', resource: task.resource, ...details } };
    this.journal.note(execution.executionArn, event);
  }

  /** Once stopped, or past its deadline, no new step starts: its writes would land too late. */
  private async invokeFor(execution: Execution, functionArn: string, payload: unknown): Promise<unknown> {
    if (this.stopped) throw named('States.Runtime', 'the local platform stopped');
    if (execution.timedOut) throw named('States.Runtime', 'the execution timed out');
    return this.options.invokeFunction(functionArn, payload);
  }

  /**
   * Follows the event log: journals the state each execution is in and its history, and closes
   * a waiting task's token when its state ends without it.
   */
  private async watch(execution: Execution, events: AsyncGenerator<EventLog>): Promise<void> {
    for await (const event of events) {
      if (this.options.debug) console.log(JSON.stringify(event).slice(0, 400));
      if (this.stopped || !('state' in event)) continue;
      const { name, type, input, output } = event.state;
      if (event.type === 'StateEntered') {
        this.options.meter?.stateEntered();
        this.journal.update(
          execution.executionArn,
          (entry) => {
            entry.state = name;
            entry.stateInput = input;
            if (entry.wait?.state !== name) delete entry.wait;
            if (entry.completed?.state !== name) delete entry.completed;
          },
          { type: `${type}StateEntered`, stateEnteredEventDetails: { name, input: JSON.stringify(input), inputDetails: { truncated: false } } },
        );
        continue;
      }
      // a long callback wait going on into its next attempt: nothing ended
      if ((event.type === 'StateFailed' && event.Error === CONTINUE_WAIT) || (event.type === 'StateRetried' && event.retry.retrier.ErrorEquals.includes(CONTINUE_WAIT))) continue;
      if (event.type === 'StateExited') {
        this.journal.note(execution.executionArn, { type: `${type}StateExited`, stateExitedEventDetails: { name, output: JSON.stringify(output ?? null), outputDetails: { truncated: false } } });
      } else if (event.type === 'StateFailed' && type === 'Task' && execution.task?.state === name && !execution.task.told) {
        // the interpreter's own timer (a task's TimeoutSeconds) ended an attempt still under way
        this.tell(execution, execution.task, event.Error === 'States.Timeout' ? 'TimedOut' : 'Failed', { error: event.Error, cause: String(event.Cause ?? '') });
      }
      for (const pending of this.tokens.values()) {
        if (pending.executionArn !== execution.executionArn || pending.state !== name || pending.settled !== 'waiting') continue;
        pending.settled = 'closed';
      }
    }
  }

  /** The task a token was issued for, still waiting; otherwise the error AWS answers with. */
  private waiting(taskToken: string | undefined): PendingTask {
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
    return pending;
  }

  /** A token answers its task once. */
  private settle(taskToken: string | undefined): PendingTask {
    const pending = this.waiting(taskToken);
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
    this.journal.update(pending.executionArn, (entry) => (entry.completed = { state: pending.state, output }));
    pending.resolve(output);
    return {};
  }

  sendTaskFailure(request: { taskToken?: string; error?: string; cause?: string }): Record<string, never> {
    const pending = this.settle(request.taskToken);
    const error = { name: request.error ?? 'States.TaskFailed', cause: request.cause ?? '' };
    // Kept like a success: a restart right after this still fails the task.
    this.journal.update(pending.executionArn, (entry) => (entry.completed = { state: pending.state, error }));
    pending.reject(named(error.name, error.cause));
    return {};
  }

  /** Keeps a waiting task alive for another HeartbeatSeconds (a no-op for a task without them, as in AWS). */
  sendTaskHeartbeat(request: { taskToken?: string }): Record<string, never> {
    this.waiting(request.taskToken).beat();
    return {};
  }

  /** What DescribeExecution says of an execution, running here or only in the journal. */
  private describe(executionArn: string) {
    const execution = this.executions.get(executionArn);
    const entry = execution ? undefined : this.journal.find(executionArn);
    if (!execution && !entry) return undefined;
    const known = (execution ?? entry)!;
    const startDate = execution ? execution.startDate.getTime() : entry!.startDate;
    const stopDate = execution ? execution.stopDate?.getTime() : entry!.stopDate;
    return {
      executionArn,
      stateMachineArn: known.stateMachineArn,
      ...(known.stateMachineAliasArn ? { stateMachineAliasArn: known.stateMachineAliasArn } : {}),
      ...(known.stateMachineVersionArn ? { stateMachineVersionArn: known.stateMachineVersionArn } : {}),
      name: known.name,
      status: known.status,
      startDate: startDate / 1000,
      ...(stopDate === undefined ? {} : { stopDate: stopDate / 1000 }),
      input: known.input,
      inputDetails: { included: true },
      ...(known.output === undefined ? {} : { output: known.output, outputDetails: { included: true } }),
      ...(known.error === undefined ? {} : { error: known.error }),
      ...(known.cause === undefined ? {} : { cause: known.cause }),
    };
  }

  describeExecution(request: { executionArn?: string }) {
    const described = this.describe(request.executionArn ?? '');
    if (!described) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${request.executionArn}'`);
    return described;
  }

  execution(executionArn: string): Execution | undefined {
    return this.executions.get(executionArn);
  }

  listStateMachines(request: { maxResults?: number; nextToken?: string }) {
    const machines = [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { items, nextToken } = paginate<Machine, { name: string }>(machines, request, (a, b) => a.name.localeCompare(b.name), (machine) => ({ name: machine.name }));
    return {
      stateMachines: items.map((machine) => ({ stateMachineArn: machine.arn, name: machine.name, type: 'STANDARD', creationDate: machine.creationDate.getTime() / 1000 })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  describeStateMachine(request: { stateMachineArn?: string }) {
    const machine = this.machines.get(request.stateMachineArn ?? '');
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.text,
      roleArn: this.roleArn,
      type: 'STANDARD',
      creationDate: machine.creationDate.getTime() / 1000,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  /** The `live` alias: every execution to the one version. An alias it does not have is ResourceNotFound, as in AWS. */
  describeStateMachineAlias(request: { stateMachineAliasArn?: string }) {
    const target = this.target(request.stateMachineAliasArn);
    if (!target?.stateMachineAliasArn) throw new SfnError('ResourceNotFound', `Resource not found: '${request.stateMachineAliasArn}'`);
    const created = target.machine.creationDate.getTime() / 1000;
    return {
      stateMachineAliasArn: target.stateMachineAliasArn,
      name: LIVE_ALIAS,
      routingConfiguration: [{ stateMachineVersionArn: target.stateMachineVersionArn, weight: 100 }],
      creationDate: created,
      updateDate: created,
    };
  }

  /**
   * Executions of a state machine, newest first: those running here and those the journal keeps
   * from before. An alias's or a version's ARN lists the executions started through it.
   */
  listExecutions(request: { stateMachineArn?: string; statusFilter?: string; maxResults?: number; nextToken?: string }) {
    const target = request.stateMachineArn === undefined ? undefined : this.target(request.stateMachineArn);
    if (request.stateMachineArn !== undefined && !target) {
      throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    }
    const startedThrough = (execution: { stateMachineArn: string; stateMachineAliasArn?: string; stateMachineVersionArn?: string }) =>
      !target ||
      (target.stateMachineAliasArn ? execution.stateMachineAliasArn === target.stateMachineAliasArn : target.stateMachineVersionArn ? execution.stateMachineVersionArn === target.stateMachineVersionArn : execution.stateMachineArn === target.machine.arn);
    const arns = new Set([...this.journal.all().map((entry) => entry.executionArn), ...this.executions.keys()]);
    const newestFirst = (a: { startDate: number; executionArn: string }, b: { startDate: number; executionArn: string }) =>
      b.startDate - a.startDate || a.executionArn.localeCompare(b.executionArn);
    const executions = [...arns]
      .map((arn) => this.describe(arn)!)
      .filter((execution) => startedThrough(execution) && (!request.statusFilter || execution.status === request.statusFilter))
      .sort(newestFirst);
    const { items, nextToken } = paginate(executions, request, newestFirst, ({ startDate, executionArn }) => ({ startDate, executionArn }));
    return {
      executions: items.map(({ executionArn, stateMachineArn, stateMachineAliasArn, stateMachineVersionArn, name, status, startDate, stopDate }) => ({
        executionArn,
        stateMachineArn,
        ...(stateMachineAliasArn ? { stateMachineAliasArn } : {}),
        ...(stateMachineVersionArn ? { stateMachineVersionArn } : {}),
        name,
        status,
        startDate,
        ...(stopDate === undefined ? {} : { stopDate }),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  /** The execution's history from the journal: its most recent events (HISTORY_KEPT of them at most). */
  getExecutionHistory(request: { executionArn?: string; maxResults?: number; nextToken?: string; reverseOrder?: boolean; includeExecutionData?: boolean }) {
    if (!this.describe(request.executionArn ?? '')) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${request.executionArn}'`);
    const order = (a: { id: number }, b: { id: number }) => (request.reverseOrder ? b.id - a.id : a.id - b.id);
    const events = [...this.journal.history(request.executionArn!)].sort(order);
    const { items, nextToken } = paginate(events, request, order, ({ id }) => ({ id }));
    return { events: request.includeExecutionData === false ? items.map(withoutData) : items, ...(nextToken ? { nextToken } : {}) };
  }

  /** The SFN JSON protocol (awsJson1_0), for the SDK's AWS_ENDPOINT_URL_SFN and `aws --endpoint-url`. */
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
      case 'ListStateMachines':
        return this.listStateMachines(body);
      case 'DescribeStateMachine':
        return this.describeStateMachine(body);
      case 'DescribeStateMachineAlias':
        return this.describeStateMachineAlias(body);
      case 'ListExecutions':
        return this.listExecutions(body);
      case 'GetExecutionHistory':
        return this.getExecutionHistory(body);
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
      pending.reject(named('States.Runtime', 'the local platform stopped'));
    }
    this.tokens.clear();
  }
}

/** How long one attempt of a callback wait lasts, safely inside the interpreter's task timer. */
const WAIT_SLICE_MS = 20 * 24 * 60 * 60 * 1000;
/** What `$$.Task.Token` reads as, until a callback task puts its own token in its place. */
const TASK_TOKEN = '<task token: issued to .waitForTaskToken tasks>';
const EXECUTION_TIMED_OUT = 'The execution ran longer than the TimeoutSeconds of its state machine.';

interface Timer {
  cancel(): void;
}

/** Fires at `due` (ms since the epoch) however far off it is; at once if it has passed. */
function longTimeout(due: number, fire: () => void): Timer {
  let handle: NodeJS.Timeout;
  const arm = () => {
    const left = due - Date.now();
    handle = left > 0 ? setTimeout(arm, Math.min(left, MAX_TIMER_MS)) : setTimeout(fire, 0);
    handle.unref(); // a journey waiting for weeks must not keep a stopped platform's process alive
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}

const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

const failure = (error: unknown) => ({ error: String((error as Error)?.name ?? 'Error'), cause: String((error as Error)?.message ?? '') });

/** Puts the task's own token where the state read `$$.Task.Token`. */
function withToken(value: unknown, token: string): unknown {
  if (typeof value === 'string') return value.split(TASK_TOKEN).join(token);
  if (Array.isArray(value)) return value.map((item) => withToken(item, token));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withToken(item, token)]));
  return value;
}

/** A history event without the execution's data, for GetExecutionHistory's includeExecutionData=false. */
function withoutData(event: HistoryEvent): HistoryEvent {
  const DATA = ['input', 'inputDetails', 'output', 'outputDetails', 'parameters'];
  return Object.fromEntries(
    Object.entries(event).map(([key, value]) =>
      key.endsWith('EventDetails') && value && typeof value === 'object' ? [key, Object.fromEntries(Object.entries(value).filter(([field]) => !DATA.includes(field)))] : [key, value],
    ),
  ) as HistoryEvent;
}

/**
 * One page of a sorted list, as the SFN list operations give them: `maxResults` (100 unless
 * given, 1000 at most) and a `nextToken` that names the last item given, so a page starts in
 * the right place even if items came or went in between.
 */
function paginate<T, K>(items: readonly T[], request: { maxResults?: number; nextToken?: string }, order: (a: T | K, b: T | K) => number, key: (item: T) => K) {
  const size = request.maxResults ?? 0;
  if (!Number.isInteger(size) || size < 0 || size > 1000) throw new SfnError('ValidationException', 'maxResults must be between 0 and 1000');
  let start = 0;
  if (request.nextToken) {
    let after: K;
    try {
      after = JSON.parse(Buffer.from(request.nextToken, 'base64url').toString('utf8'));
    } catch {
      throw new SfnError('InvalidToken', 'Invalid pagination token');
    }
    start = items.findIndex((item) => order(item, after) > 0);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + (size || 100));
  const more = start + page.length < items.length;
  return { items: page, nextToken: more ? Buffer.from(JSON.stringify(key(page.at(-1)!))).toString('base64url') : undefined };
}
