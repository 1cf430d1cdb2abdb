// CDK assertion tests: the synthesised stack keeps the design's promises (Standard journeys wired
// to their steps, IAM scoped to the one table, Cognito on caseworker routes, alarms for ops),
// checked against the same function registry and table definitions the handlers use.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../cdk.json';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { ENV, environmentOf } from '../lambdas/environment';
import { FUNCTIONS, JOURNEYS, ROUTES, STEPS } from '../lambdas/functions';
import { smsFilterPolicy } from '../lambdas/notify/subscriptions';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import { JourneyTrackerStack } from '../lib/journey-tracker-stack';

// CloudFormation properties are free-form JSON.
type Json = any;
interface Resource {
  readonly Type: string;
  readonly Properties: Json;
}

let template: Template;
let resources: Record<string, Resource>;
let assemblyDir: string;

const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, resource]) => resource.Type === type);

// Synthesised once: bundling runs esbuild for every function.
beforeAll(() => {
  const app = new App({ context: cdkJson.context });
  const stack = new JourneyTrackerStack(app, 'JourneyTracker');
  const assembly = app.synth();
  assemblyDir = assembly.directory;
  template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  resources = template.toJSON().Resources;
}, 120_000);

afterAll(() => {
  if (assemblyDir) fs.rmSync(assemblyDir, { recursive: true, force: true });
});

describe('journeys', () => {
  it('runs every journey as its own Standard state machine, from the one definition', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(JOURNEYS.length);
    expect(new Set(machines.map(([, machine]) => machine.Properties.DefinitionS3Location.Key)).size).toBe(1);
    for (const [, machine] of machines) expect(machine.Properties.StateMachineType).toBe('STANDARD');
  });

  it('substitutes every ${...} placeholder in a journey definition with the ARN of its step function', () => {
    for (const [, machine] of ofType('AWS::StepFunctions::StateMachine')) {
      const definition = fs.readFileSync(path.join(assemblyDir, `asset.${machine.Properties.DefinitionS3Location.Key}`), 'utf8');
      const placeholders = new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
      expect(placeholders.size).toBeGreaterThan(0);
      for (const name of placeholders) {
        const substitution = machine.Properties.DefinitionSubstitutions?.[name];
        expect(substitution).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
        const step = resources[substitution['Fn::GetAtt'][0]];
        expect(step.Type).toBe('AWS::Lambda::Function');
        expect(step.Properties.Description).toBe(STEPS.find((candidate) => candidate.substitution === name)?.description);
      }
    }
  });

  it('logs journey errors without execution data, which can quote the citizen', () => {
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });
});

const functionsByDescription = () => new Map(ofType('AWS::Lambda::Function').filter(([, fn]) => fn.Properties.Handler === 'index.handler').map(([id, fn]) => [fn.Properties.Description, { id, fn }]));

describe('functions', () => {
  it('deploys every function of the registry, and no other', () => {
    const deployed = functionsByDescription();
    expect([...deployed.keys()].sort()).toEqual(FUNCTIONS.map((fn) => fn.description).sort());
  });

  it("gives each function exactly the environment its registry needs name, no more", () => {
    const deployed = functionsByDescription();
    for (const registered of FUNCTIONS) {
      const variables = Object.keys(deployed.get(registered.description)!.fn.Properties.Environment?.Variables ?? {}).filter((name) => !name.startsWith('AWS_') && !name.startsWith('NODE_'));
      const expected = [...new Set(registered.needs.flatMap((need) => environmentOf(need, registered.journeys)))];
      expect([registered.name, variables.sort()]).toEqual([registered.name, expected.sort()]);
    }
    expect(ENV.caseTable).toBe('TABLE_NAME');
  });

  it('runs every function on nodejs24.x', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) expect({ id, runtime: fn.Properties.Runtime }).toEqual({ id, runtime: 'nodejs24.x' });
  });

  it('starts every function with the settings its handler requires at start-up', () => {
    const failures: string[] = [];
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      const bundle = path.join(assemblyDir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`, 'index.js');
      // Deploy-time values (table name, ARNs) are only placeholders here: start-up reads, never calls.
      const variables = Object.fromEntries(Object.keys(fn.Properties.Environment?.Variables ?? {}).map((name) => [name, `placeholder-${name}`]));
      const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(bundle)})`], {
        env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-2', ...variables },
        encoding: 'utf8',
        timeout: 20_000,
      });
      if (run.status !== 0) failures.push(`${id}: ${(run.stderr.match(/^\w*Error: .*$/m) ?? [run.stderr.trim()])[0]}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('data', () => {
  it('keeps cases in one retained table with the caseworker queue index, which carries no personal data', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: CASE_TABLE.partitionKey, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: CASE_TABLE.timeToLiveAttribute, Enabled: true },
        GlobalSecondaryIndexes: [
          {
            IndexName: CASE_TABLE.queueIndex.name,
            KeySchema: [
              { AttributeName: CASE_TABLE.queueIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: CASE_TABLE.queueIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...CASE_TABLE.queueIndexAttributes] },
          },
        ],
      }),
    });
  });

  it('scopes every DynamoDB permission to the case table and its indexes, never "*"', () => {
    const [[tableId]] = ofType('AWS::DynamoDB::Table');
    const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
    const allowed = [tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }];
    const statements = ofType('AWS::IAM::Policy')
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('dynamodb:')));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const granted = [statement.Resource].flat();
      expect(granted.length).toBeGreaterThan(0);
      for (const resource of granted) expect(allowed).toContainEqual(resource);
    }
  });

  it('lets no function scan or delete cases', () => {
    const actions = ofType('AWS::IAM::Policy').flatMap(([, policy]) => (policy.Properties.PolicyDocument.Statement as Json[]).flatMap((statement) => [statement.Action].flat()));
    expect(actions).toContain('dynamodb:UpdateItem');
    expect(actions.filter((action: string) => /^dynamodb:(\*|Scan|DeleteItem|BatchWriteItem)$/.test(action))).toEqual([]);
  });
});

describe('API', () => {
  it('is one REST API', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
  });

  it('puts the Cognito authoriser in front of every caseworker route and nothing in front of public routes', () => {
    const pathOf = (ref: Json): string => {
      if (ref['Fn::GetAtt']) return ''; // the root resource
      const resource = resources[ref.Ref];
      return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
    };
    const methods = ofType('AWS::ApiGateway::Method').map(([, method]) => ({ route: `${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId)}`, auth: method.Properties.AuthorizationType }));
    expect(methods).toHaveLength(ROUTES.length);
    for (const route of ROUTES) {
      expect(methods).toContainEqual({ route: `${route.method} ${route.path}`, auth: route.access === 'caseworker' ? 'COGNITO_USER_POOLS' : 'NONE' });
    }
  });

  it('throttles public lookups more tightly than the rest of the API, against guessing references', () => {
    const [[, stage]] = ofType('AWS::ApiGateway::Stage');
    const settings = stage.Properties.MethodSettings as Json[];
    const stageLimit = settings.find((s) => s.ResourcePath === '/*').ThrottlingRateLimit;
    const lookups = ROUTES.filter((route) => route.access === 'public' && route.method === 'GET');
    expect(lookups.length).toBeGreaterThan(0);
    for (const route of lookups) {
      const method = settings.find((s) => s.HttpMethod === route.method && s.ResourcePath === `/${route.path.replaceAll('/', '~1')}`);
      expect(method?.ThrottlingRateLimit).toBeLessThan(stageLimit);
    }
  });

  it.each(['DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED'])("answers API Gateway's own %s errors in the JSON error shape", (type) => {
    const [, response] = ofType('AWS::ApiGateway::GatewayResponse').find(([, r]) => r.Properties.ResponseType === type) ?? [];
    const body = String(response?.Properties.ResponseTemplates['application/json']).replace('$context.error.messageString', '"a message"');
    expect(JSON.parse(body)).toEqual({ error: { code: expect.stringMatching(/^[a-z-]+$/), message: expect.any(String) } });
  });
});

describe('notifications', () => {
  it('subscribes the notifier to the milestone topic with the SMS filter policy and a dead-letter queue', () => {
    const [[topicId]] = ofType('AWS::SNS::Subscription').map(([, s]) => [s.Properties.TopicArn.Ref]);
    expect(resources[topicId].Type).toBe('AWS::SNS::Topic');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      FilterPolicy: Match.objectEquals({ ...smsFilterPolicy }),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
    });
  });

  it('retries a failed notification twice, then keeps it in a queue to redrive', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
    });
    const [, config] = ofType('AWS::Lambda::EventInvokeConfig')[0];
    expect(resources[config.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]].Type).toBe('AWS::SQS::Queue');
  });
});

describe('monitoring', () => {
  const atLeastOnce = { Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [Match.anyValue()] };

  it('alarms when a case is put on hold', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'JourneyTracker', MetricName: 'CasesOnHold', ...atLeastOnce });
  });

  it("alarms on the errors of every function in the registry", () => {
    const deployed = functionsByDescription();
    for (const registered of FUNCTIONS) {
      const { id } = deployed.get(registered.description)!;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
        AlarmActions: [Match.anyValue()],
      });
    }
  });

  it('alarms when a milestone could not be published, or the bank-holiday calendar ran out', () => {
    for (const metric of ['MilestonesNotPublished', 'BankHolidaysMissing']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'JourneyTracker', MetricName: metric, ...atLeastOnce });
    }
  });

  it('alarms when a journey fails or times out', () => {
    for (const [machineId] of ofType('AWS::StepFunctions::StateMachine')) {
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/States',
          MetricName: metric,
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machineId } }],
          ...atLeastOnce,
        });
      }
    }
  });
});

describe('renewal reminders', () => {
  it('run on an EventBridge Scheduler schedule that passes the scheduled time to the job', () => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const [, schedule] = schedules[0];
    expect(schedule.Properties.ScheduleExpression).toMatch(/^rate\(/);
    expect(schedule.Properties.Target.Input).toContain('<aws.scheduler.scheduled-time>');
  });

  it('keep a run the scheduler could not deliver in a dead-letter queue', () => {
    const [[, schedule]] = ofType('AWS::Scheduler::Schedule');
    const queue = resources[schedule.Properties.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0]];
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(schedule.Properties.Target.RetryPolicy.MaximumRetryAttempts).toBe(2);
  });
});

describe('the firewall', () => {
  it('limits public status lookups per client IP with the numbers the local server uses', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: { RateBasedStatement: Match.objectLike({ Limit: PUBLIC_LOOKUP_LIMIT.requests, EvaluationWindowSec: PUBLIC_LOOKUP_LIMIT.windowSeconds, AggregateKeyType: 'IP' }) },
        }),
      ]),
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});
