// What deploys is what was tested (issue 11, item 7): the app synthesised for prod as `cdk synth`
// synthesises it, with bundling, and an application journey run on the local platform from that
// assembly, not from the sources: each journey's definition as deployed (its substitutions
// resolved to the functions), each function's bundle, executions started on the `live` alias as
// the deployed functions start them. And the local Step Functions speaks aliases as AWS does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAssembly } from '../local/assembly';
import { ExecutionJournal } from '../local/execution-journal';
import { LocalStepFunctions, liveAliasArn, stateMachineArn } from '../local/step-functions';
import type { Platform } from '../local/platform';
import { anApplication, eventually, startTestPlatform, type Api } from './support/platform';

const ROOT = path.join(__dirname, '..');

describe('an application journey on what `cdk synth` built', () => {
  let assembly: string;
  let platform: Platform | undefined;
  let api: Api;

  beforeAll(async () => {
    assembly = mkdtempSync(path.join(os.tmpdir(), 'journey-assembly-'));
    // The CLI as ops run it (npx cdk synth), offline; bundling runs esbuild for every function.
    const synth = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '-o', assembly, '--no-notices', '-q', '-c', 'stage=prod'], {
      cwd: ROOT,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` },
      encoding: 'utf8',
      timeout: 240_000,
    });
    if (synth.status !== 0) throw new Error(`cdk synth failed (${synth.status ?? synth.signal}):\n${synth.stderr}\n${synth.stdout}`.slice(0, 4000));
    ({ platform, api } = await startTestPlatform({ assembly }));
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  it('takes an application from submission to a caseworker\'s approval, to the public status and an SMS', async () => {
    const phone = '+447700900311';
    const submitted = await api.submit(anApplication({ applicant: { phone } }));
    expect(submitted.status).toBe(202);
    const { reference } = submitted.body;
    await api.stage(reference, 'awaiting-decision');

    // started on the alias, as the deployed function is told to
    const execution = platform!.sfn.describeExecution({ executionArn: `arn:aws:states:eu-west-2:000000000000:execution:application-journey:${reference}` });
    expect(execution).toMatchObject({ status: 'RUNNING', stateMachineAliasArn: liveAliasArn('application-journey'), stateMachineArn: stateMachineArn('application-journey') });

    expect((await api.decide(reference, 'approve')).status).toBe(200);
    const status = await api.stage(reference, 'approved');
    expect(status.history.map((entry: { title: string }) => entry.title)).toEqual(['Application received', 'Details checked', 'With a caseworker', 'Approved']);
    const texts = await eventually(async () => platform!.sns.outbox().filter((m) => m.phoneNumber === phone), (messages) => messages.length === 2);
    expect(texts[1].message).toMatch(/approved/i);
    await eventually(async () => platform!.sfn.describeExecution({ executionArn: execution.executionArn }).status, (s) => s === 'SUCCEEDED');
  });

  it('ran the bundled functions, not the sources', () => {
    const files = platform!.handlerFiles();
    // everything that ran in the journey: the API, its steps and the notifier
    for (const entry of ['api/submit-application', 'api/get-status', 'api/decide', 'steps/check-details', 'steps/await-decision', 'steps/record-outcome', 'notify/sms-notifier']) {
      expect([entry, files.get(entry)]).toEqual([entry, expect.stringMatching(new RegExp(`^${escapeRegExp(assembly)}/asset\\.[0-9a-f]{64}/index\\.js$`))]);
    }
    for (const [entry, file] of files) expect([entry, file.startsWith(path.join(ROOT, 'lambdas'))]).toEqual([entry, false]);
    // one bundle per function
    expect(new Set(files.values()).size).toBe(files.size);
  });

  it('ran each journey as deployed: the substitutions made, with the functions the platform runs', () => {
    for (const journey of ['application', 'renewal', 'appeal']) {
      const { definition } = platform!.sfn.describeStateMachine({ stateMachineArn: stateMachineArn(`${journey}-journey`) });
      expect(definition).not.toMatch(/\$\{/);
      expect(definition).toContain('arn:aws:lambda:eu-west-2:000000000000:function:steps-await-decision');
    }
  });

  it('refuses an assembly that lacks a function of the registry, naming it', () => {
    // the same assembly without the SMS notifier: its templates rewritten, everything else linked
    const copy = mkdtempSync(path.join(os.tmpdir(), 'journey-assembly-copy-'));
    try {
      for (const name of readdirSync(assembly)) {
        if (!name.endsWith('.template.json')) {
          symlinkSync(path.join(assembly, name), path.join(copy, name));
          continue;
        }
        const template = JSON.parse(readFileSync(path.join(assembly, name), 'utf8'));
        for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
          if (String(resource.Metadata?.['aws:cdk:path']).endsWith('/SmsNotifier/Resource')) delete template.Resources[id];
        }
        writeFileSync(path.join(copy, name), JSON.stringify(template));
      }
      expect(() => readAssembly(copy, (entry) => entry)).toThrow(/has no function for SmsNotifier of lambdas\/functions\.ts/);
      expect(() => readAssembly(path.join(copy, 'nowhere'), (entry) => entry)).toThrow(/is not a cloud assembly/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

/** Escapes a path for a regular expression. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the local Step Functions speaks aliases, as the deployed functions use them', () => {
  const definition = { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Done' }, Done: { Type: 'Succeed' } } };
  const MACHINE = stateMachineArn('trial');
  const ALIAS = liveAliasArn('trial');
  const local = (journal?: ExecutionJournal) => new LocalStepFunctions({ journeys: [{ name: 'trial', definition }], substitutions: {}, invokeFunction: async () => ({}), journal });

  it('starts an execution on the alias, and says so as DescribeExecution and ListExecutions do', async () => {
    const sfn = local();
    try {
      const { executionArn } = sfn.startExecution({ stateMachineArn: ALIAS, name: 'through-alias', input: '{}' });
      sfn.startExecution({ stateMachineArn: MACHINE, name: 'unqualified', input: '{}' });
      // the execution belongs to the state machine; the alias and the version it ran are noted
      expect(executionArn).toBe('arn:aws:states:eu-west-2:000000000000:execution:trial:through-alias');
      expect(sfn.describeExecution({ executionArn })).toMatchObject({ stateMachineArn: MACHINE, stateMachineAliasArn: ALIAS, stateMachineVersionArn: `${MACHINE}:1` });
      expect(sfn.describeExecution({ executionArn: executionArn.replace('through-alias', 'unqualified') })).not.toHaveProperty('stateMachineAliasArn');
      expect(sfn.listExecutions({ stateMachineArn: ALIAS }).executions.map((e) => e.name)).toEqual(['through-alias']);
      expect(sfn.listExecutions({ stateMachineArn: MACHINE }).executions.map((e) => e.name).sort()).toEqual(['through-alias', 'unqualified']);
      expect(sfn.describeStateMachineAlias({ stateMachineAliasArn: ALIAS })).toMatchObject({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${MACHINE}:1`, weight: 100 }] });
    } finally {
      sfn.stop();
    }
  });

  it('refuses an alias or a version it does not have, as AWS does', () => {
    const sfn = local();
    try {
      for (const unknown of [`${MACHINE}:prod`, `${MACHINE}:2`, `${stateMachineArn('missing')}:live`]) {
        expect(() => sfn.startExecution({ stateMachineArn: unknown, input: '{}' })).toThrow(expect.objectContaining({ type: 'StateMachineDoesNotExist' }));
      }
      expect(() => sfn.describeStateMachineAlias({ stateMachineAliasArn: `${MACHINE}:prod` })).toThrow(expect.objectContaining({ type: 'ResourceNotFound' }));
      expect(() => sfn.listExecutions({ stateMachineArn: `${MACHINE}:prod` })).toThrow(expect.objectContaining({ type: 'StateMachineDoesNotExist' }));
    } finally {
      sfn.stop();
    }
  });

  it('resumes an execution started on the alias after a restart, still on the alias', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journey-alias-'));
    try {
      const file = path.join(dir, 'executions.jsonl');
      const before = local(new ExecutionJournal(file));
      const { executionArn } = before.startExecution({ stateMachineArn: ALIAS, name: 'across-a-restart', input: '{}' });
      await eventually(async () => new ExecutionJournal(file).find(executionArn)?.state, (state) => state === 'Pause');
      before.stop();

      const after = local(new ExecutionJournal(file));
      try {
        expect(after.resume()).toBe(1);
        const finished = await eventually(async () => after.describeExecution({ executionArn }), (described) => described.status === 'SUCCEEDED', 5_000);
        expect(finished).toMatchObject({ stateMachineAliasArn: ALIAS, stateMachineVersionArn: `${MACHINE}:1` });
      } finally {
        after.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
