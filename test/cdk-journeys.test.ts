// CDK assertions: journeys survive a deploy (issue 11, item 4) and are logged without their data
// (item 5). Each journey's state machine is published as a version (a new one exactly when its
// revision changes, the old ones kept) behind a `live` alias that routes every new execution to
// it; the functions that start journeys are told the alias and may start executions only through
// it; the functions that answer tasks still answer any execution. The stacks are built as
// bin/app.ts builds them (test/support/synth.ts), for prod, and the journeys, functions and
// policies found in the stage's stacks in its region, read as one (the references between them
// followed), whichever stack they are in.
import { journeyStateMachineEnv } from '../lambdas/environment';
import { FUNCTIONS, JOURNEYS } from '../lambdas/functions';
import { JOURNEY_LOG_PREFIX } from '../lib/journeys';
import { LIVE_ALIAS } from '../lib/platform-function';
import { synthesiseStage, type Synthesised } from './support/synth';

// CloudFormation properties are free-form JSON.
type Json = any;
interface Resource {
  readonly Type: string;
  readonly Properties: Json;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}
/** A resource and the template it is in: references resolve within one template. */
interface Found {
  readonly stack: string;
  readonly id: string;
  readonly resource: Resource;
}

let found: Found[] = [];
let synthesised: Synthesised | undefined;

const ofType = (type: string): Found[] => found.filter(({ resource }) => resource.Type === type);
const inStack = (stack: string, id: string): Resource | undefined => found.find((item) => item.stack === stack && item.id === id)?.resource;
const refTo = (value: Json): string | undefined => value?.Ref ?? (value?.['Fn::GetAtt']?.[1] === 'Arn' ? value['Fn::GetAtt'][0] : undefined);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

beforeAll(() => {
  // Bundling skipped: these tests read templates, not code (test/deployed-journey.test.ts runs the bundles).
  synthesised = synthesiseStage({ stage: 'prod' });
  // the stacks in the stage's region as one, each weak reference between them followed: the
  // journeys are the journeys stack's, the functions that start and answer them the web stack's
  found = Object.entries<Resource>(synthesised.regional.Resources).map(([id, resource]) => ({ stack: 'regional', id, resource }));
}, 120_000);

afterAll(() => synthesised?.dispose());

/** Each journey's state machine, its version and its alias. */
function journeyResources() {
  return ofType('AWS::StepFunctions::StateMachine').map((machine) => {
    const versions = ofType('AWS::StepFunctions::StateMachineVersion').filter((v) => v.stack === machine.stack && refTo(v.resource.Properties.StateMachineArn) === machine.id);
    const aliases = ofType('AWS::StepFunctions::StateMachineAlias').filter(
      (a) => a.stack === machine.stack && asList(a.resource.Properties.RoutingConfiguration ?? []).some((route: Json) => versions.some((v) => refTo(route.StateMachineVersionArn) === v.id)),
    );
    return { machine, versions, aliases };
  });
}

/** A function of the registry, by its description (as test/cdk.test.ts finds them), and the statements of its role's policies. */
function deployedFunction(description: string) {
  const fn = ofType('AWS::Lambda::Function').find((item) => item.resource.Properties.Description === description);
  if (!fn) throw new Error(`no function is described as "${description}"`);
  const role = refTo(fn.resource.Properties.Role);
  const statements = ofType('AWS::IAM::Policy')
    .filter((policy) => policy.stack === fn.stack && asList(policy.resource.Properties.Roles ?? []).some((r: Json) => refTo(r) === role))
    .flatMap((policy) => asList(policy.resource.Properties.PolicyDocument.Statement));
  return { fn, statements };
}

const allows = (statement: Json, action: string) => statement.Effect === 'Allow' && asList(statement.Action).some((a: string) => a === action || a === 'states:*' || a === '*');

describe('journeys that survive a deploy', () => {
  it('publishes one version per journey, exactly when its revision changes, and keeps the old ones', () => {
    const journeys = journeyResources();
    expect(journeys).toHaveLength(JOURNEYS.length);
    for (const { machine, versions } of journeys) {
      expect(versions).toHaveLength(1);
      const [version] = versions;
      // a new revision id replaces the version: CloudFormation publishes a new one...
      expect(version.resource.Properties.StateMachineRevisionId).toEqual({ 'Fn::GetAtt': [machine.id, 'StateMachineRevisionId'] });
      // ...and keeps the one it replaces, for the executions still running on it and for a rollback
      expect(version.resource.UpdateReplacePolicy).toBe('Retain');
      expect(version.resource.DeletionPolicy).toBe('Retain');
    }
  });

  it('routes every new execution through a `live` alias to the version just published', () => {
    for (const { machine, versions, aliases } of journeyResources()) {
      expect([machine.id, aliases.length]).toEqual([machine.id, 1]);
      const { Properties } = aliases[0].resource;
      expect(Properties.Name).toBe(LIVE_ALIAS);
      expect(Properties.DeploymentPreference).toBeUndefined();
      expect(Properties.RoutingConfiguration).toEqual([{ StateMachineVersionArn: { 'Fn::GetAtt': [versions[0].id, 'Arn'] }, Weight: 100 }]);
    }
  });

  it('tells each function that starts a journey the alias, not the state machine', () => {
    const journeys = journeyResources();
    const starters = FUNCTIONS.filter((fn) => fn.needs.includes('journeys:start'));
    expect(starters.length).toBeGreaterThan(0);
    for (const spec of starters) {
      const { fn } = deployedFunction(spec.description);
      for (const journey of spec.journeys ?? []) {
        const value = fn.resource.Properties.Environment.Variables[journeyStateMachineEnv(journey)];
        const alias = journeys.flatMap((j) => j.aliases).find((a) => a.stack === fn.stack && a.id === refTo(value));
        expect([spec.name, journey, alias?.resource.Type]).toEqual([spec.name, journey, 'AWS::StepFunctions::StateMachineAlias']);
      }
    }
  });

  it('lets a function start executions only through the alias of each journey it starts', () => {
    const journeys = journeyResources();
    for (const spec of FUNCTIONS) {
      const { fn, statements } = deployedFunction(spec.description);
      const starting = statements.filter((statement) => allows(statement, 'states:StartExecution'));
      if (!spec.needs.includes('journeys:start')) {
        expect([spec.name, starting]).toEqual([spec.name, []]);
        continue;
      }
      // Step Functions authorises a start through an alias against the state machine's own ARN,
      // with the alias's name in states:StateMachineQualifier: without the condition, a start on
      // the unqualified ARN (the latest revision, published or not) would be allowed too.
      for (const statement of starting) {
        expect([spec.name, statement.Condition]).toEqual([spec.name, { StringEquals: { 'states:StateMachineQualifier': LIVE_ALIAS } }]);
      }
      // exactly the journeys it starts: each one's state machine, qualified by its alias
      const granted = new Set(starting.flatMap((statement) => asList(statement.Resource).map(refTo)));
      const expected = (spec.journeys ?? []).flatMap((journey) => {
        const alias = refTo(fn.resource.Properties.Environment.Variables[journeyStateMachineEnv(journey)]);
        const started = journeys.find(({ machine, aliases }) => machine.stack === fn.stack && aliases.some((a) => a.id === alias));
        return started ? [started.machine.id, alias] : [];
      });
      expect(expected).toHaveLength(2 * (spec.journeys ?? []).length);
      expect([spec.name, [...granted].sort()]).toEqual([spec.name, expected.sort()]);
    }
  });

  it('still lets the functions that answer journeys answer a task of any execution', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    for (const spec of FUNCTIONS.filter((fn) => fn.needs.includes('journeys:answer'))) {
      const { fn, statements } = deployedFunction(spec.description);
      const answered = new Set(statements.filter((statement) => allows(statement, 'states:SendTaskSuccess')).flatMap((statement) => asList(statement.Resource).map(refTo)));
      const expected = machines.filter((machine) => machine.stack === fn.stack).map((machine) => machine.id);
      expect([spec.name, [...answered].sort()]).toEqual([spec.name, expected.sort()]);
    }
  });
});

describe('what a journey may call', () => {
  it('invokes exactly the registry\'s steps, by their unqualified ARNs, as the definition names them', () => {
    const steps = new Set(FUNCTIONS.filter((fn) => fn.trigger === 'step').map((fn) => fn.description));
    for (const { stack, id, resource } of ofType('AWS::StepFunctions::StateMachine')) {
      const role = refTo(resource.Properties.RoleArn);
      const invoked = ofType('AWS::IAM::Policy')
        .filter((policy) => policy.stack === stack && asList(policy.resource.Properties.Roles ?? []).some((r: Json) => refTo(r) === role))
        .flatMap((policy) => asList(policy.resource.Properties.PolicyDocument.Statement))
        .filter((statement) => allows(statement, 'lambda:InvokeFunction'))
        .flatMap((statement) => asList(statement.Resource));
      // a GetAtt of each step's ARN, and nothing else (no `:*` for its versions)
      expect([id, invoked.every((arn: Json) => arn?.['Fn::GetAtt']?.[1] === 'Arn')]).toEqual([id, true]);
      const described = invoked.map((arn: Json) => inStack(stack, arn['Fn::GetAtt'][0])?.Properties.Description);
      expect([id, described.sort()]).toEqual([id, [...steps].sort()]);
    }
  });
});

describe('journey logs and traces', () => {
  it('logs every state of every journey, without execution data (it can quote the citizen), and traces them', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(JOURNEYS.length);
    for (const { id, resource } of machines) {
      expect([id, resource.Properties.LoggingConfiguration]).toEqual([id, expect.objectContaining({ Level: 'ALL', IncludeExecutionData: false })]);
      expect(resource.Properties.LoggingConfiguration.Destinations).toHaveLength(1);
      expect([id, resource.Properties.TracingConfiguration]).toEqual([id, { Enabled: true }]);
    }
  });

  it('sends each journey\'s logs to a log group of its own, which expires, named under /aws/vendedlogs/states/ and anew for each stack created', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    const groups = machines.map(({ stack, resource }) => {
      const id = resource.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
      return { id, group: inStack(stack, id) };
    });
    expect(new Set(groups.map(({ id }) => id)).size).toBe(machines.length);
    for (const { id, group } of groups) {
      expect([id, group?.Type]).toEqual([id, 'AWS::Logs::LogGroup']);
      expect(group?.Properties.RetentionInDays).toBeGreaterThan(0);
      // one statement of the account's CloudWatch Logs resource policy covers /aws/vendedlogs/*;
      // any other name would be added to it, and its 5,120 characters fill up
      const [separator, [first, uuid]] = group?.Properties.LogGroupName['Fn::Join'];
      expect([id, separator, first]).toEqual([id, '', expect.stringMatching(new RegExp(`^${JOURNEY_LOG_PREFIX}journey-tracker-prod-app-(${JOURNEYS.join('|')})-$`))]);
      // the stack's own id: a stage deployed again after a teardown does not meet prod's retained group
      expect([id, uuid]).toEqual([id, { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]);
    }
    expect(JOURNEY_LOG_PREFIX).toBe('/aws/vendedlogs/states/');
  });
});
