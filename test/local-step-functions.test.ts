// The local Step Functions says what it cannot do, and does what it says: ASL it does not emulate
// is refused at start; each task gets its own token; timeouts keep their exact deadlines however
// long, and across a restart; SendTaskFailure and SendTaskHeartbeat work; and an engineer's
// client reads state machines, executions and their history with the real AWS SDK.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { LocalStepFunctions, type LocalStepFunctionsOptions } from '../local/step-functions';
import { ExecutionJournal } from '../local/execution-journal';
import { JOURNEY_DEFINITION } from '../lambdas/functions';
import { afterRestart, startTestPlatform, eventually, type Api } from './support/platform';
import type { Platform } from '../local/platform';

const STEP = 'arn:aws:lambda:eu-west-2:000000000000:function:step';
const WAITER = 'arn:aws:lambda:eu-west-2:000000000000:function:waiter';
const MACHINE = 'arn:aws:states:eu-west-2:000000000000:stateMachine:trial';
const DAY_SECONDS = 24 * 60 * 60;

/** Moves the fake clock on a day at a time, letting the (real) event loop turn each day, as it would. */
async function passDays(days: number): Promise<void> {
  for (let day = 0; day < days; day++) {
    await jest.advanceTimersByTimeAsync(DAY_SECONDS * 1000);
    await new Promise((resolve) => setImmediate(resolve));
  }
}


/** A callback wait that passes its token to the waiter Lambda, as the journeys' waits do. */
const wait = (next: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: WAITER, Payload: { 'taskToken.$': '$$.Task.Token' } },
  TimeoutSeconds: 60,
  ...extra,
  ...next,
});

/** A LocalStepFunctions running one definition, whose Lambdas record what they were given. */
function local(definition: Record<string, unknown>, options: Partial<LocalStepFunctionsOptions> & { fail?: (payload: any) => boolean } = {}) {
  const calls: { functionArn: string; payload: any }[] = [];
  const sfn = new LocalStepFunctions({
    journeys: [{ name: 'trial', definition }],
    substitutions: {},
    invokeFunction: async (functionArn, payload) => {
      calls.push({ functionArn, payload });
      if (options.fail?.(payload)) throw Object.assign(new Error('the step failed'), { name: 'StepFailed' });
      return { ok: true };
    },
    ...options,
  });
  const start = (input: unknown = {}) => sfn.startExecution({ stateMachineArn: MACHINE, input: JSON.stringify(input) }).executionArn;
  const tokens = () => calls.filter((call) => call.functionArn === WAITER).map((call) => call.payload.taskToken as string);
  return { sfn, calls, start, tokens };
}

const refusal = (definition: Record<string, unknown>) => {
  try {
    local(definition);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the definition was accepted');
};

describe('what the local Step Functions refuses at start', () => {
  const pass = { Type: 'Pass', End: true };

  it('accepts the journeys it runs', () => {
    expect(() => new LocalStepFunctions({ journeys: [{ name: 'application-journey', file: path.join(__dirname, '..', JOURNEY_DEFINITION) }], substitutions: {}, invokeFunction: async () => ({}) })).not.toThrow();
  });

  it('refuses a Parallel state, naming it and saying why', () => {
    const message = refusal({ StartAt: 'Fan', States: { Fan: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: pass } }], End: true } } });
    expect(message).toMatch(/state machine trial/);
    expect(message).toMatch(/state "Fan" is a Parallel state/);
    expect(message).toMatch(/resume after a restart/);
  });

  it('refuses a Map state, and names the states nested in it', () => {
    const message = refusal({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Parallel', Branches: [{ StartAt: 'Deep', States: { Deep: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }], End: true } } },
          End: true,
        },
      },
    });
    expect(message).toMatch(/state "Each" is a Map state/);
    expect(message).toMatch(/state "Each > each item > Inner" is a Parallel state/);
    expect(message).toMatch(/state "Each > each item > Inner > branch 1 > Deep" calls arn:aws:states:::sqs:sendMessage/);
  });

  it('refuses a task that is not a Lambda, naming the file it came from', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'asl-')), 'queue.asl.json');
    writeFileSync(file, JSON.stringify({ StartAt: 'Queue', States: { Queue: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true } } }));
    let message = '';
    try {
      new LocalStepFunctions({ journeys: [{ name: 'queueing', file }], substitutions: {}, invokeFunction: async () => ({}) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`queueing (${file})`);
    expect(message).toMatch(/state "Queue" calls arn:aws:states:::sqs:sendMessage; the local Step Functions runs Lambda tasks only/);
  });

  it('accepts the three Lambda resources: invoke, invoke.waitForTaskToken and a function ARN', () => {
    expect(() =>
      local({
        StartAt: 'Invoke',
        States: {
          Invoke: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: STEP }, Next: 'Direct' },
          Direct: { Type: 'Task', Resource: STEP, Next: 'Wait' },
          Wait: wait({ End: true }),
        },
      }),
    ).not.toThrow();
  });

  it('refuses JSONata, at the top level or on a state', () => {
    expect(refusal({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: pass } })).toMatch(/uses JSONata \("QueryLanguage": "JSONata" at the top level\)/);
    expect(refusal({ StartAt: 'A', States: { A: { ...pass, QueryLanguage: 'JSONata' } } })).toMatch(/state "A" uses JSONata/);
  });

  it('refuses variables, a missing substitution, and a callback wait that passes no token', () => {
    expect(refusal({ StartAt: 'A', States: { A: { ...pass, Assign: { x: 1 } } } })).toMatch(/state "A" assigns variables/);
    expect(refusal({ StartAt: 'A', States: { A: { Type: 'Task', Resource: '${Missing}', End: true } } })).toMatch(/state "A" calls \$\{Missing\}, for which no substitution was given/);
    expect(refusal({ StartAt: 'A', States: { A: { ...wait({ End: true }), Parameters: { FunctionName: WAITER } } } })).toMatch(/state "A" waits for a task token but does not pass \$\$\.Task\.Token/);
  });
});

describe('task tokens', () => {
  it('gives each task its own token, which answers that task only', async () => {
    const { sfn, start, tokens } = local({ StartAt: 'First', States: { First: wait({ ResultPath: '$.first', Next: 'Second' }), Second: wait({ ResultPath: '$.second', End: true }) } });
    const arn = start();
    await eventually(async () => tokens().length, (n) => n === 1, 5000, 'the first wait');
    const [first] = tokens();
    sfn.sendTaskSuccess({ taskToken: first, output: '"one"' });
    await eventually(async () => tokens().length, (n) => n === 2, 5000, 'the second wait');
    const second = tokens()[1];
    expect(second).not.toBe(first);
    // the first task's token cannot answer the second task
    expect(() => sfn.sendTaskSuccess({ taskToken: first, output: '"again"' })).toThrow(expect.objectContaining({ type: 'TaskDoesNotExist' }));
    expect(sfn.execution(arn)?.status).toBe('RUNNING');
    sfn.sendTaskSuccess({ taskToken: second, output: '"two"' });
    await eventually(async () => sfn.execution(arn)?.status, (s) => s === 'SUCCEEDED', 5000);
    expect(JSON.parse(sfn.execution(arn)!.output!)).toEqual({ first: 'one', second: 'two' });
  });

  it('gives one task one token, however often its parameters read it', async () => {
    const { sfn, start, calls } = local({
      StartAt: 'Wait',
      States: { Wait: wait({ End: true }, { Parameters: { FunctionName: WAITER, Payload: { 'taskToken.$': '$$.Task.Token', 'again.$': '$$.Task.Token', 'link.$': "States.Format('/answer/{}', $$.Task.Token)" } } }) },
    });
    const arn = start();
    const { payload } = await eventually(async () => calls[0], Boolean, 5000, 'the wait');
    expect(payload.again).toBe(payload.taskToken);
    expect(payload.link).toBe(`/answer/${payload.taskToken}`);
    sfn.sendTaskSuccess({ taskToken: payload.taskToken, output: '{}' });
    await eventually(async () => sfn.execution(arn)?.status, (s) => s === 'SUCCEEDED', 5000);
  });

  it('gives a retried wait a new token, and the failed attempt\'s token answers nothing', async () => {
    let attempts = 0;
    const { sfn, start, tokens } = local(
      { StartAt: 'Wait', States: { Wait: wait({ End: true }, { Retry: [{ ErrorEquals: ['StepFailed'], MaxAttempts: 2 }] }) } },
      { fail: () => ++attempts === 1, retryIntervalOverrides: { Wait: 0 } },
    );
    const arn = start();
    await eventually(async () => tokens().length, (n) => n === 2, 5000, 'the retry');
    const [failed, retried] = tokens();
    expect(retried).not.toBe(failed);
    expect(() => sfn.sendTaskSuccess({ taskToken: failed, output: '{}' })).toThrow(expect.objectContaining({ type: 'TaskDoesNotExist' }));
    sfn.sendTaskSuccess({ taskToken: retried, output: '{"answered":true}' });
    await eventually(async () => sfn.execution(arn)?.status, (s) => s === 'SUCCEEDED', 5000);
  });
});

describe('SendTaskFailure and SendTaskHeartbeat', () => {
  it('fails the task with the error and cause sent, and the token is used up', async () => {
    const { sfn, start, tokens } = local({ StartAt: 'Wait', States: { Wait: wait({ End: true }) } });
    const arn = start();
    const [token] = await eventually(async () => tokens(), (t) => t.length === 1, 5000);
    expect(sfn.sendTaskFailure({ taskToken: token, error: 'Rejected', cause: 'The caseworker withdrew the request.' })).toEqual({});
    await eventually(async () => sfn.execution(arn)?.status, (s) => s === 'FAILED', 5000);
    expect(sfn.describeExecution({ executionArn: arn })).toMatchObject({ error: 'Rejected', cause: 'The caseworker withdrew the request.' });
    expect(() => sfn.sendTaskFailure({ taskToken: token, error: 'Again' })).toThrow(expect.objectContaining({ type: 'TaskDoesNotExist' }));
    const history = sfn.getExecutionHistory({ executionArn: arn }).events;
    expect(history.find((e) => e.type === 'TaskFailed')).toMatchObject({ taskFailedEventDetails: { error: 'Rejected', cause: 'The caseworker withdrew the request.' } });
  });

  it('lets a failure be caught like any task error', async () => {
    const { sfn, start, tokens } = local({
      StartAt: 'Wait',
      States: { Wait: wait({ Next: 'Done' }, { Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.failure', Next: 'Done' }] }), Done: { Type: 'Succeed' } },
    });
    const arn = start();
    const [token] = await eventually(async () => tokens(), (t) => t.length === 1, 5000);
    sfn.sendTaskFailure({ taskToken: token, error: 'Rejected', cause: 'no' });
    await eventually(async () => sfn.execution(arn)?.status, (s) => s === 'SUCCEEDED', 5000);
    expect(JSON.parse(sfn.execution(arn)!.output!)).toEqual({ failure: { Error: 'Rejected', Cause: 'no' } });
  });

  it('keeps a wait with HeartbeatSeconds alive while heartbeats come, and times it out when they stop', async () => {
    const { sfn, start, tokens } = local({
      StartAt: 'Work',
      States: {
        Work: wait({ Next: 'Done' }, { HeartbeatSeconds: 2, Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.late', Next: 'Chase' }] }),
        Chase: wait({ ResultPath: '$.chased', Next: 'Done' }),
        Done: { Type: 'Succeed' },
      },
    });
    const arn = start();
    const [token] = await eventually(async () => tokens(), (t) => t.length === 1, 5000);
    for (let beat = 0; beat < 6; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sfn.sendTaskHeartbeat({ taskToken: token })).toEqual({});
    }
    expect(sfn.execution(arn)?.status).toBe('RUNNING'); // 3 s in, with a heartbeat timeout of 2 s
    expect(() => sfn.sendTaskHeartbeat({ taskToken: 'not-a-token' })).toThrow(expect.objectContaining({ type: 'InvalidToken' }));
    // no more heartbeats: the wait times out, and a catcher of States.Timeout takes it, as in AWS
    const [, chase] = await eventually(async () => tokens(), (t) => t.length === 2, 6000, 'the catcher');
    expect(() => sfn.sendTaskHeartbeat({ taskToken: token })).toThrow(expect.objectContaining({ type: 'TaskTimedOut' }));
    sfn.sendTaskSuccess({ taskToken: chase, output: '{}' });
    await eventually(async () => sfn.execution(arn)?.status, (s) => s === 'SUCCEEDED', 5000);
    expect(JSON.parse(sfn.execution(arn)!.output!).late.Error).toBe('States.HeartbeatTimeout');
    const timedOut = sfn.getExecutionHistory({ executionArn: arn }).events.find((e) => e.type === 'TaskTimedOut');
    expect(timedOut).toMatchObject({ taskTimedOutEventDetails: { error: 'States.HeartbeatTimeout' } });
  });
});

describe('timeouts', () => {
  afterEach(() => jest.useRealTimers());

  it('times the execution out at its own TimeoutSeconds: TIMED_OUT, States.Timeout', async () => {
    const { sfn, start, tokens, calls } = local({ TimeoutSeconds: 1, StartAt: 'Wait', States: { Wait: wait({ Next: 'After' }), After: { Type: 'Task', Resource: STEP, End: true } } });
    const arn = start();
    const [token] = await eventually(async () => tokens(), (t) => t.length === 1, 5000);
    await eventually(async () => sfn.execution(arn)?.status, (s) => s !== 'RUNNING', 5000);
    expect(sfn.describeExecution({ executionArn: arn })).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(sfn.getExecutionHistory({ executionArn: arn }).events.at(-1)).toMatchObject({ type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } });
    expect(() => sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(expect.objectContaining({ type: 'TaskDoesNotExist' }));
    expect(calls.filter((call) => call.functionArn === STEP)).toEqual([]); // nothing ran after the deadline
  });

  it('keeps a year-long execution timeout exact: journalled, and not cut to a Node timer\'s 24.8 days', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const journal = new ExecutionJournal(path.join(mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'executions.jsonl'));
    const { sfn, start } = local({ TimeoutSeconds: 365 * DAY_SECONDS, StartAt: 'Wait', States: { Wait: wait({ End: true }, { TimeoutSeconds: 400 * DAY_SECONDS }) } }, { journal });
    const arn = start();
    const started = sfn.execution(arn)!.startDate.getTime();
    expect(journal.find(arn)?.deadline).toBe(started + 365 * DAY_SECONDS * 1000);

    await passDays(30);
    expect(sfn.execution(arn)?.status).toBe('RUNNING');
    await passDays(336);
    expect(sfn.describeExecution({ executionArn: arn })).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(sfn.execution(arn)!.stopDate!.getTime() - started).toBeGreaterThanOrEqual(365 * DAY_SECONDS * 1000);
    sfn.stop();
  });

  it('keeps a callback wait longer than 24.8 days waiting, with the same token', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const { sfn, start, tokens } = local({ StartAt: 'Wait', States: { Wait: wait({ End: true }, { TimeoutSeconds: 60 * DAY_SECONDS }) } });
    const arn = start();
    await jest.advanceTimersByTimeAsync(10);
    expect(tokens()).toHaveLength(1);
    await passDays(45);
    expect(sfn.execution(arn)?.status).toBe('RUNNING');
    expect(tokens()).toHaveLength(1); // the step was not run again
    sfn.sendTaskSuccess({ taskToken: tokens()[0], output: '{"decided":true}' });
    await jest.advanceTimersByTimeAsync(10);
    expect(sfn.execution(arn)?.status).toBe('SUCCEEDED');
    const types = sfn.getExecutionHistory({ executionArn: arn }).events.map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  it('times out, after a restart, an execution whose deadline passed while the platform was stopped', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'executions.jsonl');
    const definition = { TimeoutSeconds: 1, StartAt: 'Wait', States: { Wait: wait({ End: true }) } };
    const before = local(definition, { journal: new ExecutionJournal(file) });
    const arn = before.start();
    await eventually(async () => before.tokens().length, (n) => n === 1, 5000);
    before.sfn.stop();
    await new Promise((resolve) => setTimeout(resolve, 1200));

    const after = local(definition, { journal: new ExecutionJournal(file) });
    expect(after.sfn.resume()).toBe(1);
    await eventually(async () => after.sfn.describeExecution({ executionArn: arn }).status, (s) => s === 'TIMED_OUT', 5000);
    expect(after.calls).toEqual([]); // no step ran again for it
  });

  it('times out, after a restart, a callback wait whose deadline passed meanwhile, without asking its step again', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'executions.jsonl');
    const definition = { StartAt: 'Wait', States: { Wait: wait({ Next: 'Done' }, { TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.late', Next: 'Done' }] }), Done: { Type: 'Succeed' } } };
    const before = local(definition, { journal: new ExecutionJournal(file) });
    const arn = before.start();
    await eventually(async () => before.tokens().length, (n) => n === 1, 5000);
    before.sfn.stop();
    await new Promise((resolve) => setTimeout(resolve, 1200));

    const after = local(definition, { journal: new ExecutionJournal(file) });
    after.sfn.resume();
    await eventually(async () => after.sfn.describeExecution({ executionArn: arn }).status, (s) => s === 'SUCCEEDED', 5000);
    expect(JSON.parse(after.sfn.describeExecution({ executionArn: arn }).output!).late.Error).toBe('States.Timeout');
    expect(after.calls).toEqual([]);
  });
});

it('prints the states it enters only when told to by its options, not by the environment', async () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  process.env.DEBUG_JOURNEYS = '1';
  try {
    const quiet = local({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
    const arn = quiet.start();
    await eventually(async () => quiet.sfn.execution(arn)?.status, (s) => s === 'SUCCEEDED', 5000);
    expect(log).not.toHaveBeenCalled();

    const loud = local({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { debug: true });
    const loudArn = loud.start();
    await eventually(async () => loud.sfn.execution(loudArn)?.status, (s) => s === 'SUCCEEDED', 5000);
    expect(log.mock.calls.map(([line]) => String(line)).join('\n')).toMatch(/"type":"StateEntered".*"name":"A"/);
  } finally {
    delete process.env.DEBUG_JOURNEYS;
    log.mockRestore();
  }
});

describe('the read operations, through the AWS SDK', () => {
  let dataDir: string;
  let platform: Platform;
  let api: Api;
  let sfn: SFNClient;
  let stopped = false;
  const application = 'arn:aws:states:eu-west-2:000000000000:stateMachine:application-journey';
  const connect = (on = platform) => new SFNClient({ endpoint: on.awsEndpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'journey-sfn-'));
    ({ platform, api } = await startTestPlatform({ dataDir }));
    sfn = connect();
  });
  afterAll(async () => {
    sfn.destroy();
    if (!stopped) await platform.stop();
  });

  it('lists and describes the state machines, with their definitions as loaded', async () => {
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines!.map((m) => m.name)).toEqual(expect.arrayContaining(['application-journey', 'renewal-journey', 'appeal-journey']));
    expect(stateMachines![0].creationDate).toBeInstanceOf(Date);
    const paged = await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
    expect(paged.stateMachines).toHaveLength(1);
    const next = await sfn.send(new ListStateMachinesCommand({ maxResults: 1, nextToken: paged.nextToken }));
    expect(next.stateMachines![0].name).not.toBe(paged.stateMachines![0].name);

    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: application }));
    expect(described).toMatchObject({ name: 'application-journey', stateMachineArn: application, status: 'ACTIVE', type: 'STANDARD', roleArn: expect.stringMatching(/^arn:aws:iam::/) });
    expect(described.creationDate).toBeInstanceOf(Date);
    const definition = JSON.parse(described.definition!);
    expect(definition.TimeoutSeconds).toBe(31536000); // as written, not as the interpreter runs it
    expect(JSON.stringify(definition)).toContain('arn:aws:lambda:eu-west-2:000000000000:function:');
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${application}-missing` }))).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });

  it('lists, describes and tells the history of executions, also after a restart', async () => {
    const references: string[] = [];
    for (let i = 0; i < 3; i++) references.push((await api.submit()).body.reference);
    for (const reference of references) await api.stage(reference, 'awaiting-decision');
    expect((await api.decide(references[0], 'approve')).status).toBe(200);
    await api.stage(references[0], 'approved');
    const arnOf = (reference: string) => `arn:aws:states:eu-west-2:000000000000:execution:application-journey:${reference}`;
    await eventually(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn: arnOf(references[0]) }))).status, (s) => s === 'SUCCEEDED');

    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: application, statusFilter: 'RUNNING' }));
    expect(running.executions!.map((e) => e.name)).toEqual(expect.arrayContaining([references[1], references[2]]));
    expect(running.executions!.map((e) => e.name)).not.toContain(references[0]);
    expect(running.executions![0].startDate).toBeInstanceOf(Date);
    // pages of one, newest first, that add up to the whole list
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: application, maxResults: 1, nextToken }));
      expect(page.executions!.length).toBeLessThanOrEqual(1);
      names.push(...page.executions!.map((e) => e.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names.slice(0, 3)).toEqual([...references].reverse());

    const history = async (reference: string, client = sfn) => {
      const events: HistoryEvent[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new GetExecutionHistoryCommand({ executionArn: arnOf(reference), maxResults: 4, nextToken: token }));
        events.push(...page.events!);
        token = page.nextToken;
      } while (token);
      return events;
    };
    const decided = await history(references[0]);
    expect(decided[0]).toMatchObject({ type: 'ExecutionStarted', id: 1, previousEventId: 0 });
    expect(decided[0].timestamp).toBeInstanceOf(Date);
    expect(JSON.parse(decided[0].executionStartedEventDetails!.input!)).toEqual({ reference: references[0], journey: 'application', service: 'parking-permit' });
    expect(decided.map((e) => e.id)).toEqual(decided.map((_e, i) => i + 1));
    expect(decided.slice(1).every((e, i) => e.previousEventId === decided[i].id)).toBe(true);
    const types = decided.map((e) => e.type);
    expect(types.slice(0, 6)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited']);
    expect(types).toEqual(expect.arrayContaining(['TaskSubmitted', 'ChoiceStateEntered', 'SucceedStateEntered']));
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    const scheduled = decided.filter((e) => e.type === 'TaskScheduled').map((e) => e.taskScheduledEventDetails!);
    expect(scheduled[0]).toMatchObject({ resourceType: 'lambda', resource: 'invoke', region: 'eu-west-2' });
    expect(scheduled[1]).toMatchObject({ resource: 'invoke.waitForTaskToken', timeoutInSeconds: expect.any(Number) });
    const waiting = await history(references[1]);
    expect(waiting.at(-1)!.type).toBe('TaskSubmitted'); // waiting for a caseworker
    const newestFirst = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arnOf(references[1]), reverseOrder: true, maxResults: 1, includeExecutionData: false }));
    expect(newestFirst.events![0].id).toBe(waiting.at(-1)!.id);
    expect(newestFirst.events![0].taskSubmittedEventDetails!.output).toBeUndefined();

    // after a restart, the journal still knows every execution and its history
    stopped = true;
    await platform.stop();
    await afterRestart(dataDir, async (restarted) => {
      const client = connect(restarted.platform);
      try {
        const all = await client.send(new ListExecutionsCommand({ stateMachineArn: application }));
        expect(all.executions!.map((e) => e.name)).toEqual(expect.arrayContaining(references));
        expect(await client.send(new DescribeExecutionCommand({ executionArn: arnOf(references[0]) }))).toMatchObject({ status: 'SUCCEEDED', name: references[0] });
        expect((await history(references[0], client)).map((e) => e.type)).toEqual(types);
        // the journeys that were waiting for a caseworker were resumed, and still wait
        await restarted.api.stage(references[1], 'awaiting-decision');
        expect((await client.send(new DescribeExecutionCommand({ executionArn: arnOf(references[1]) }))).status).toBe('RUNNING');
        await expect(client.send(new DescribeExecutionCommand({ executionArn: arnOf('APP-0000-0000-0000') }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
      } finally {
        client.destroy();
      }
    });
  }, 60_000);
});
