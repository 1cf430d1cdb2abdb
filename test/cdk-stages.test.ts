// Deployable into an agency's production account: both stages synthesise with cdk-nag's AWS
// Solutions and Serverless checks passing on every template (synth fails on any finding not
// acknowledged with a reason), five stacks each with room to double, data kept apart from compute and kept in prod, the region checked against the agency's
// list, customer-managed keys on everything that holds case data, TLS only on topics and queues,
// no permission on "*" except what has no resource to name, and the service's figures reachable
// only as figures.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import cdkJson from '../cdk.json';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { FUNCTIONS } from '../lambdas/functions';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import { PUBLIC_FUNCTIONS, deploymentFrom } from '../lib/deployment';
import { WAF_LOG_GROUP_PREFIX } from '../lib/firewall';
import { definePlatform } from '../lib/platform';
import { STACK_ROLES, synthesiseStage, type Synthesised } from './support/synth';

// CloudFormation is free-form JSON.
type Json = any;

const ROOT = path.join(__dirname, '..');
/** Half of CloudFormation's 500 resources a stack: each stack has room to double. */
const MAX_RESOURCES_PER_STACK = 250;

const stages: Partial<Record<'dev' | 'prod', Synthesised>> = {};
const resourcesOf = (template: Json): [string, Json][] => Object.entries(template.Resources ?? {});
const ofType = (template: Json, type: string): [string, Json][] => resourcesOf(template).filter(([, resource]) => resource.Type === type);
const all = (synthesised: Synthesised): Json[] => Object.values(synthesised.templates);

beforeAll(() => {
  // each throws, with cdk-nag's report, on any finding that is not acknowledged
  stages.dev = synthesiseStage({ stage: 'dev' });
  stages.prod = synthesiseStage({ stage: 'prod' });
}, 120_000);

afterAll(() => {
  for (const synthesised of Object.values(stages)) synthesised?.dispose();
});

const prod = () => stages.prod!;
const dev = () => stages.dev!;

describe('stages', () => {
  it('names every stack after its stage, so dev and prod can share an account', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const synthesised = stages[stage]!;
      expect(Object.keys(synthesised.templates)).toHaveLength(5);
      expect(STACK_ROLES.map((role) => synthesised.stacks[role].stackName)).toEqual(['edge', 'data', 'app', 'web', 'monitoring'].map((role) => `journey-tracker-${stage}-${role}`));
    }
  });

  it('keeps everything that holds data in the data stack, and none of it in the stacks that run things', () => {
    const stateful = ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Cognito::UserPool', 'AWS::S3::Bucket', 'AWS::Backup::BackupVault'];
    for (const role of ['app', 'web', 'monitoring'] as const) for (const type of stateful) expect([role, ofType(prod().templates[role], type)]).toEqual([role, []]);
    for (const type of stateful) expect(ofType(prod().templates.data, type).length).toBeGreaterThan(0);
    // and the others depend on the data stack, never the other way round
    for (const role of ['app', 'web', 'monitoring'] as const) expect(prod().stacks[role].dependencies).toContain(prod().stacks.data);
    expect(prod().stacks.data.dependencies).toEqual([]);
  });

  it("gives every stack room to double: no template of either stage holds more than 250 of CloudFormation's 500 resources", () => {
    for (const stage of ['dev', 'prod'] as const) {
      for (const role of STACK_ROLES) {
        const count = Object.keys(stages[stage]!.templates[role].Resources ?? {}).length;
        expect([stage, role, count <= MAX_RESOURCES_PER_STACK]).toEqual([stage, role, true]);
      }
    }
    // (every template counted: their sum is the stage's)
    expect(STACK_ROLES.reduce((sum, role) => sum + Object.keys(prod().templates[role].Resources).length, 0)).toBeGreaterThan(MAX_RESOURCES_PER_STACK);
  });

  it("runs cdk-nag's checks on every stack's template, so a finding in any of them fails the synth (both stages synthesised clean above)", () => {
    for (const stage of ['dev', 'prod'] as const) {
      const app = new App({ context: { ...cdkJson.context, stage, 'aws:cdk:bundling-stacks': [] } });
      const stacks = definePlatform(app, {});
      // a queue with no dead-letter queue and no TLS requirement, in every stack
      for (const role of STACK_ROLES) new Queue(stacks[role], 'NotAcknowledged');
      let report = '';
      try {
        app.synth();
      } catch (error) {
        report = (error as Error).message;
      }
      for (const role of STACK_ROLES) {
        for (const rule of ['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy']) {
          const found = new RegExp(`${stacks[role].stackName}/NotAcknowledged/Resource[^\\n]*\\n[^\\n]*${rule}`).test(report);
          expect([stage, role, rule, found]).toEqual([stage, role, rule, true]);
        }
      }
    }
  }, 120_000);

  it('deploys in the order the stacks use one another: data, journeys, web (behind the edge web ACL), then monitoring over all of them', () => {
    const { stacks } = prod();
    expect(stacks.edge.dependencies).toEqual([]);
    expect(stacks.web.dependencies).toEqual(expect.arrayContaining([stacks.data, stacks.app, stacks.edge]));
    expect(stacks.monitoring.dependencies).toEqual(expect.arrayContaining([stacks.data, stacks.app, stacks.web]));
    // nothing depends on the monitoring stack, and the journeys stack on nothing that runs
    for (const role of STACK_ROLES) expect([role, stacks[role].dependencies.includes(stacks.monitoring)]).toEqual([role, false]);
    expect(stacks.app.dependencies).toEqual([stacks.data]);
  });

  it('keeps data in prod: retained, protected from deletion, recoverable to a point in time, backed up, stacks protected from termination', () => {
    const { data } = prod().templates;
    const [[, table]] = ofType(data, 'AWS::DynamoDB::Table').filter(([, t]) => t.Properties.GlobalSecondaryIndexes);
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } } });
    for (const type of ['AWS::KMS::Key', 'AWS::Cognito::UserPool', 'AWS::S3::Bucket']) {
      for (const [id, resource] of ofType(data, type)) expect([id, resource.DeletionPolicy]).toEqual([id, 'Retain']);
    }
    const [[, pool]] = ofType(data, 'AWS::Cognito::UserPool');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    const [[, plan]] = ofType(data, 'AWS::Backup::BackupPlan');
    expect(plan.Properties.BackupPlan.BackupPlanRule.map((rule: Json) => rule.Lifecycle.DeleteAfterDays)).toEqual([35, 365]);
    const [[, selection]] = ofType(data, 'AWS::Backup::BackupSelection');
    expect(JSON.stringify(selection.Properties.BackupSelection.Resources)).toContain(ofType(data, 'AWS::DynamoDB::Table').find(([, t]) => t.Properties.GlobalSecondaryIndexes)![0]);
    const [[, vault]] = ofType(data, 'AWS::Backup::BackupVault');
    expect(vault.Properties.EncryptionKeyArn).toBeDefined();
    // kept after a teardown, and a vault's name is the account's: each stack's vault has its own
    expect(vault.Properties.BackupVaultName).toEqual({ 'Fn::Join': ['', ['journey-tracker-prod-', { 'Fn::Select': [4, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] }]] });
    for (const role of STACK_ROLES) expect([role, prod().stacks[role].terminationProtection]).toEqual([role, true]);
  });

  it('lets dev be destroyed: nothing retained or protected, no backups', () => {
    const { data } = dev().templates;
    for (const [id, resource] of [...ofType(data, 'AWS::DynamoDB::Table'), ...ofType(data, 'AWS::Cognito::UserPool'), ...ofType(data, 'AWS::S3::Bucket'), ...ofType(data, 'AWS::KMS::Key')]) {
      expect([id, resource.DeletionPolicy]).toEqual([id, 'Delete']);
    }
    for (const [, table] of ofType(data, 'AWS::DynamoDB::Table')) expect(table.Properties.DeletionProtectionEnabled).toBeFalsy();
    expect(ofType(data, 'AWS::Backup::BackupPlan')).toEqual([]);
    for (const role of STACK_ROLES) expect([role, dev().stacks[role].terminationProtection]).toEqual([role, false]);
  });

  it('refuses a region outside the allow-list, saying why and what to do', () => {
    const build = (context: Record<string, unknown>, environment: NodeJS.ProcessEnv = {}) => () => definePlatform(new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } }), environment);
    expect(build({ region: 'us-east-1' })).toThrow(/Region us-east-1 is not one this agency allows for citizens' personal data \(allowedRegions in cdk\.json: eu-west-2\)/);
    // the AWS profile's region is only used when the project names none, and checked all the same
    expect(build({ region: '' }, { CDK_DEFAULT_REGION: 'us-east-1' })).toThrow(/Region us-east-1 \(your AWS profile's, as cdk\.json names none\) is not one this agency allows/);
    expect(build({ region: '' })).toThrow(/Say which region to deploy to: -c region=eu-west-2/);
    expect(build({ stage: 'staging' })).toThrow(/Unknown stage "staging": use -c stage=dev or -c stage=prod/);
    // the allow-list is cdk.json's own, which only a reviewed change can widen: -c cannot
    expect(build({ allowedRegions: ['us-east-1'], region: 'us-east-1' })).toThrow(/allowedRegions in cdk\.json: eu-west-2/);
    const node = (context: Record<string, unknown>) => new App({ context }).node;
    expect(deploymentFrom(node({ region: 'eu-west-1' }), {}, { allowedRegions: ['eu-west-2', 'eu-west-1'], accounts: {} }).region).toBe('eu-west-1');
  });

  it('deploys a stage pinned to an account there, and refuses credentials for another', () => {
    const settings = { allowedRegions: ['eu-west-2'], accounts: { prod: '222222222222' } };
    const prodNode = new App({ context: { stage: 'prod', region: 'eu-west-2' } }).node;
    expect(() => deploymentFrom(prodNode, { CDK_DEFAULT_ACCOUNT: '111111111111' }, settings)).toThrow(
      /The prod stage deploys to account 222222222222 \(prodAccount in cdk\.json\), but your credentials are for account 111111111111/,
    );
    expect(deploymentFrom(prodNode, { CDK_DEFAULT_ACCOUNT: '222222222222' }, settings).account).toBe('222222222222');
    // offline, with no credentials, the pinned account still names the stacks' account
    expect(deploymentFrom(prodNode, {}, settings).account).toBe('222222222222');
    // dev is not pinned here
    expect(deploymentFrom(new App({ context: { stage: 'dev', region: 'eu-west-2' } }).node, { CDK_DEFAULT_ACCOUNT: '111111111111' }, settings).account).toBe('111111111111');
  });

  /** Each stack's CloudFormation rules that always fail: what stops a deploy before it changes anything. */
  const refusals = (synthesised: Synthesised) =>
    STACK_ROLES.map((role): [string, [string, string][]] => [role, Object.entries<Json>(synthesised.templates[role].Rules ?? {}).filter(([, rule]) => JSON.stringify(rule.Assertions[0].Assert) === JSON.stringify({ 'Fn::Equals': ['this stage is not ready to deploy', 'it is'] })).map(([id, rule]) => [id, rule.Assertions[0].AssertDescription])]);

  it("will not deploy prod, not one of its stacks, until someone is subscribed to its alarms and the account's Lambda quota is declared, but synthesises it", () => {
    // every stack carries the same refusals, so whichever `cdk deploy --all` reaches first stops it
    for (const [role, rules] of refusals(prod())) {
      expect([role, rules.map(([id]) => id)]).toEqual([role, ['AlarmsReachSomeone', 'LambdaConcurrencyQuotaDeclared']]);
      expect([role, rules[0][1]]).toEqual([role, expect.stringContaining('set "prodAlarmEmail" in cdk.json')]);
      expect([role, rules[1][1]]).toEqual([role, expect.stringMatching(/prodLambdaConcurrencyQuota in cdk\.json .*L-B99A9384.*at least 700/)]);
    }
    const ready = synthesiseStage({ stage: 'prod', context: { prodAlarmEmail: 'ops@example.gov.uk', prodLambdaConcurrencyQuota: 1000 } });
    try {
      for (const [role, rules] of refusals(ready)) expect([role, rules]).toEqual([role, []]);
      expect(ofType(ready.templates.monitoring, 'AWS::SNS::Subscription').filter(([, sub]) => sub.Properties.Protocol === 'email').map(([, sub]) => sub.Properties.Endpoint)).toEqual(['ops@example.gov.uk']);
    } finally {
      ready.dispose();
    }
    // dev may have nobody, and reserves nothing, so needs no quota
    for (const [role, rules] of refusals(dev())) expect([role, rules]).toEqual([role, []]);
  }, 120_000);

  it('puts the app and data in the region cdk.json names, whatever the AWS profile says', () => {
    const synthesised = synthesiseStage({ stage: 'dev', environment: { CDK_DEFAULT_REGION: 'us-west-2', CDK_DEFAULT_ACCOUNT: '111111111111' } });
    try {
      expect(STACK_ROLES.map((role) => synthesised.stacks[role].region)).toEqual(['us-east-1', 'eu-west-2', 'eu-west-2', 'eu-west-2', 'eu-west-2']);
      for (const role of STACK_ROLES) expect([role, synthesised.stacks[role].account]).toEqual([role, '111111111111']);
    } finally {
      synthesised.dispose();
    }
  });
});

describe('security', () => {
  it('encrypts the tables, topics, queues and every log group with customer-managed keys that rotate', () => {
    for (const synthesised of [dev(), prod()]) {
      const templates = all(synthesised);
      const keys = templates.flatMap((t) => ofType(t, 'AWS::KMS::Key'));
      expect(keys.length).toBeGreaterThanOrEqual(3);
      for (const [id, key] of keys) expect([id, key.Properties.EnableKeyRotation]).toEqual([id, true]);
      for (const [id, table] of templates.flatMap((t) => ofType(t, 'AWS::DynamoDB::Table'))) {
        expect([id, table.Properties.SSESpecification]).toEqual([id, expect.objectContaining({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() })]);
      }
      for (const [id, topic] of templates.flatMap((t) => ofType(t, 'AWS::SNS::Topic'))) expect([id, topic.Properties.KmsMasterKeyId]).toEqual([id, expect.anything()]);
      for (const [id, queue] of templates.flatMap((t) => ofType(t, 'AWS::SQS::Queue'))) expect([id, queue.Properties.KmsMasterKeyId]).toEqual([id, expect.anything()]);
      const logGroups = templates.flatMap((t) => ofType(t, 'AWS::Logs::LogGroup'));
      expect(logGroups.length).toBeGreaterThan(FUNCTIONS.length);
      for (const [id, group] of logGroups) expect([id, group.Properties.KmsKeyId]).toEqual([id, expect.anything()]);
    }
  });

  it('refuses every topic and queue action that does not come over TLS', () => {
    const policies = all(prod()).flatMap((t) => [...ofType(t, 'AWS::SNS::TopicPolicy'), ...ofType(t, 'AWS::SQS::QueuePolicy')]);
    const guarded = new Set(policies.flatMap(([, policy]) => (policy.Properties.Topics ?? policy.Properties.Queues).map((ref: Json) => JSON.stringify(ref))));
    const tlsOnly = (policy: Json) => policy.Properties.PolicyDocument.Statement.some((s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
    for (const [id, policy] of policies) expect([id, tlsOnly(policy)]).toEqual([id, true]);
    for (const [id] of all(prod()).flatMap((t) => [...ofType(t, 'AWS::SNS::Topic'), ...ofType(t, 'AWS::SQS::Queue')])) {
      expect([id, [...guarded].some((ref) => ref.includes(`"${id}"`))]).toEqual([id, true]);
    }
  });

  // Actions that have no resource to name in IAM: X-Ray, Step Functions' log delivery, and SMS
  // (a phone number has no ARN). Anything else on "*" would be a grant wider than its need.
  const NO_RESOURCE_TYPE = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|sns:(Publish|CheckIfPhoneNumberIsOptedOut|SetSMSAttributes))$/;

  it('lets only the functions that list a queue query the case table, and only its queue index', () => {
    const app = prod().regional;
    const list = (value: Json) => (Array.isArray(value) ? value : [value]);
    const querying = new Set<string>();
    for (const [id, policy] of ofType(app, 'AWS::IAM::Policy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        if (statement.Effect !== 'Allow' || !list(statement.Action).includes('dynamodb:Query')) continue;
        querying.add(policy.Properties.Roles.map((role: Json) => role.Ref).join());
        for (const resource of list(statement.Resource)) expect([id, JSON.stringify(resource)]).toEqual([id, expect.stringContaining(`/index/${CASE_TABLE.queueIndex.name}`)]);
      }
    }
    const queueReaders = FUNCTIONS.filter((fn) => (fn.needs as readonly string[]).includes('cases:queue')).map((fn) => fn.name).sort();
    expect(queueReaders).toEqual(['CaseworkerQueuePages', 'ListCases', 'PublishPositions', 'RenewalReminders', 'StillWorkingTexts']);
    expect([...querying].map((role) => queueReaders.find((name) => new RegExp(`^[A-Za-z]+?${name}Role`).test(role)) ?? role).sort()).toEqual(queueReaders);
  });

  it('grants no data or publish action on "*", except SMS publishing, with every topic denied to the one function that texts', () => {
    const statements = all(prod()).flatMap((t) => [...ofType(t, 'AWS::IAM::Policy'), ...ofType(t, 'AWS::IAM::Role')]).flatMap(([id, resource]) =>
      [resource.Properties.PolicyDocument, ...(resource.Properties.Policies ?? []).map((p: Json) => p.PolicyDocument)].filter(Boolean).flatMap((document: Json) => document.Statement.map((statement: Json) => ({ id, statement }))),
    );
    const list = (value: Json) => (Array.isArray(value) ? value : [value]);
    const onEverything = statements.filter(({ statement }) => statement.Effect === 'Allow' && list(statement.Resource).includes('*'));
    expect(onEverything.length).toBeGreaterThan(0);
    for (const { id, statement } of onEverything) for (const action of list(statement.Action)) expect([id, action, NO_RESOURCE_TYPE.test(action)]).toEqual([id, action, true]);

    const smsOnEverything = onEverything.filter(({ statement }) => list(statement.Action).includes('sns:Publish'));
    expect(new Set(smsOnEverything.map(({ id }) => id)).size).toBe(1);
    const [{ id: notifierPolicy }] = smsOnEverything;
    expect(statements.some(({ id, statement }) => id === notifierPolicy && statement.Effect === 'Deny' && list(statement.Action).includes('sns:Publish') && JSON.stringify(statement.Resource).includes(':sns:*:*:*'))).toBe(true);
  });

  it("lets functions use the tables' and topics' keys only through DynamoDB and SNS, never directly", () => {
    const statements = ofType(prod().regional, 'AWS::IAM::Policy').flatMap(([id, policy]) => policy.Properties.PolicyDocument.Statement.map((statement: Json) => ({ id, statement })));
    const list = (value: Json) => (Array.isArray(value) ? value : [value]);
    const keyUse = statements.filter(({ id, statement }) => FUNCTIONS.some((fn) => id.includes(`${fn.name}Role`)) && list(statement.Action).some((action: string) => action.startsWith('kms:')));
    expect(keyUse.length).toBeGreaterThan(FUNCTIONS.length / 2);
    for (const { id, statement } of keyUse) {
      if (list(statement.Action).some((action: string) => action.endsWith('*'))) continue; // CDK's grant to an on-failure queue (acknowledged)
      expect([id, statement.Condition?.StringEquals?.['kms:ViaService']]).toEqual([id, expect.stringMatching(/^(dynamodb|sns)\.eu-west-2\.amazonaws\.com$/)]);
    }
  });

  it('gives every function of the registry a role of its own with no AWS managed policy', () => {
    const app = prod().regional;
    const functions = ofType(app, 'AWS::Lambda::Function').filter(([, fn]) => FUNCTIONS.some((spec) => spec.description === fn.Properties.Description));
    expect(functions).toHaveLength(FUNCTIONS.length);
    const roles = new Set(functions.map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]));
    expect(roles.size).toBe(FUNCTIONS.length);
    for (const role of roles) expect([role, app.Resources[role].Properties.ManagedPolicyArns]).toEqual([role, undefined]);
  });

  it("reserves concurrency for the public functions, the stage's amount from cdk.json: none in dev, 50 each in prod", () => {
    expect(PUBLIC_FUNCTIONS).toHaveLength(12);
    for (const [synthesised, expected] of [[dev(), undefined], [prod(), 50]] as const) {
      const functions = ofType(synthesised.regional, 'AWS::Lambda::Function');
      for (const spec of FUNCTIONS) {
        const [, fn] = functions.find(([, f]) => f.Properties.Description === spec.description)!;
        expect([spec.name, fn.Properties.ReservedConcurrentExecutions]).toEqual([spec.name, PUBLIC_FUNCTIONS.includes(spec) ? expected : undefined]);
      }
    }
  });

  describe("the account's Lambda concurrency quota, as the operator declares it", () => {
    const settings = { allowedRegions: ['eu-west-2'], accounts: {} };
    const deployment = (context: Record<string, unknown>, project = settings) => deploymentFrom(new App({ context: { stage: 'prod', region: 'eu-west-2', prodAlarmEmail: 'ops@example.gov.uk', ...context } }).node, {}, project);

    it('refuses a quota too small for the reservations, naming the setting, the quota to ask AWS for and how much', () => {
      expect(() => deployment({ prodReservedConcurrency: 50, prodLambdaConcurrencyQuota: 699 })).toThrow(
        /quota of at least 700 in eu-west-2, but prodLambdaConcurrencyQuota in cdk\.json says the account's quota is 699\. Ask AWS for at least 700 \(Service Quotas, AWS Lambda, "Concurrent executions", quota code L-B99A9384, in eu-west-2.*or lower prodReservedConcurrency to 49 or less/,
      );
      expect(deployment({ prodReservedConcurrency: 50, prodLambdaConcurrencyQuota: 700 })).toMatchObject({ publicConcurrency: 50, refusals: [] });
      // a new account's quota reserves nothing: dev's default
      expect(() => deployment({ prodReservedConcurrency: 1, prodLambdaConcurrencyQuota: 10 })).toThrow(/at least 112.*lower prodReservedConcurrency to 0 or less/);
      expect(deployment({ prodReservedConcurrency: 0, prodLambdaConcurrencyQuota: 10 })).toMatchObject({ publicConcurrency: 0, refusals: [] });
    });

    it("counts the other stage's reservations too when cdk.json puts both stages in one account", () => {
      const shared = { allowedRegions: ['eu-west-2'], accounts: { dev: '111111111111', prod: '111111111111' } };
      expect(() => deployment({ prodReservedConcurrency: 50, devReservedConcurrency: 5, prodLambdaConcurrencyQuota: 700 }, shared)).toThrow(/and dev, in the same account, reserves 60; .* at least 760/);
      expect(deployment({ prodReservedConcurrency: 50, devReservedConcurrency: 5, prodLambdaConcurrencyQuota: 760 }, shared).publicConcurrency).toBe(50);
    });

    it('synthesises offline with the quota left undeclared, and refuses the deploy until it is declared', () => {
      const { refusals: refused } = deployment({ prodReservedConcurrency: 50, prodLambdaConcurrencyQuota: '' });
      expect(refused.map((refusal) => refusal.id)).toEqual(['LambdaConcurrencyQuotaDeclared']);
      expect(refused[0].message).toMatch(/Say what the account's quota is in prodLambdaConcurrencyQuota in cdk\.json \(aws service-quotas get-service-quota --service-code lambda --quota-code L-B99A9384/);
    });

    it('refuses a reservation or a quota that is not a whole number, naming the setting', () => {
      expect(() => deployment({ prodReservedConcurrency: -1 })).toThrow(/prodReservedConcurrency in cdk\.json must be .* a whole number of at least 0, not "-1"/);
      expect(() => deployment({ prodLambdaConcurrencyQuota: 'plenty' })).toThrow(/prodLambdaConcurrencyQuota in cdk\.json must be .*L-B99A9384.*not "plenty"/);
    });

    it('stops `cdk synth -c stage=prod` with the message, before anything is built', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-tracker-quota-'));
      try {
        const synth = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--no-notices', '-q', '-o', outdir, '-c', 'stage=prod', '-c', 'prodLambdaConcurrencyQuota=500'], {
          cwd: ROOT,
          env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` },
          encoding: 'utf8',
          timeout: 120_000,
        });
        expect(synth.status).not.toBe(0);
        expect(synth.stderr).toMatch(/prodLambdaConcurrencyQuota in cdk\.json says the account's quota is 500\. Ask AWS for at least 700 \(Service Quotas, AWS Lambda, "Concurrent executions", quota code L-B99A9384/);
        expect(fs.readdirSync(outdir).filter((file) => file.endsWith('.template.json'))).toEqual([]);
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    }, 120_000);
  });

  it('gives every asynchronously invoked function an on-failure destination: the notifier, the scheduled jobs and the delivery receipts', () => {
    const app = prod().regional;
    const configs = ofType(app, 'AWS::Lambda::EventInvokeConfig');
    const asynchronous = FUNCTIONS.filter((fn) => fn.trigger === 'milestones' || fn.trigger === 'schedule' || fn.trigger === 'sms-receipts');
    expect(configs).toHaveLength(asynchronous.length);
    for (const [, config] of configs) expect(config.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
  });
});

// What an outside security review found after the issue's first round, each fixed where it was.
describe('security review', () => {
  const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);
  /** Every statement of the template's IAM policies, with the roles each is attached to. */
  const policyStatements = (template: Json) =>
    ofType(template, 'AWS::IAM::Policy').flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement.map((statement: Json) => ({ roles: list(policy.Properties.Roles).map((role: Json) => role.Ref), statement })));
  const logicalId = (synthesised: Synthesised, stack: 'data' | 'app' | 'edge', construct: IConstruct) => synthesised.stacks[stack].getLogicalId(construct.node.defaultChild as CfnElement);

  it("lets the scheduler's role put a missed run in its encrypted dead-letter queue: the messages key's data key actions, through SQS only, and no other role", () => {
    const app = prod().regional;
    const messagesKey = logicalId(prod(), 'data', prod().stacks.data.keys.messages);
    const schedulerRoles = ofType(app, 'AWS::IAM::Role').filter(([, role]) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com')).map(([id]) => id);
    expect(schedulerRoles.length).toBe(FUNCTIONS.filter((fn) => fn.trigger === 'schedule').length);
    const throughSqs = policyStatements(app).filter(({ statement }) => statement.Condition?.StringEquals?.['kms:ViaService'] === 'sqs.eu-west-2.amazonaws.com');
    for (const role of schedulerRoles) {
      const own = throughSqs.filter(({ roles }) => roles.includes(role));
      expect(own.map(({ statement }) => [statement.Effect, list(statement.Action).sort(), JSON.stringify(statement.Resource).includes(messagesKey)])).toEqual([['Allow', ['kms:Decrypt', 'kms:GenerateDataKey'], true]]);
    }
    for (const { roles } of throughSqs) expect(roles.every((role: string) => schedulerRoles.includes(role))).toBe(true);
  });

  it('lets every log group go with a dev stack, and keeps every one of them in prod', () => {
    for (const [synthesised, policy] of [[dev(), 'Delete'], [prod(), 'Retain']] as const) {
      const groups = all(synthesised).flatMap((t) => ofType(t, 'AWS::Logs::LogGroup'));
      expect(groups.length).toBeGreaterThan(FUNCTIONS.length);
      for (const [id, group] of groups) expect([id, group.DeletionPolicy, group.UpdateReplacePolicy]).toEqual([id, policy, policy]);
    }
  });

  it('keeps nothing after a teardown under a name of its own that would be in the way of the stage deployed again', () => {
    for (const synthesised of [dev(), prod()]) {
      for (const role of STACK_ROLES) {
        const template = synthesised.templates[role];
        const kept = resourcesOf(template).filter(([, resource]) => resource.DeletionPolicy === 'Retain');
        for (const [id, resource] of kept) {
          for (const [property, name] of Object.entries<Json>(resource.Properties ?? {}).filter(([key]) => /Name$/.test(key))) {
            // CloudFormation's own name, or one made anew for each stack created: with the stack's
            // id, or with a resource of the same stack that a new stack makes anew
            const anew = JSON.stringify(name).includes('AWS::StackId') || [...JSON.stringify(name).matchAll(/"Ref":"(\w+)"/g)].some(([, ref]) => ref in template.Resources);
            expect([role, id, property, anew]).toEqual([role, id, property, true]);
          }
        }
      }
    }
    // the SMS delivery logs' names are SNS's: adopted, not created (test/cdk-sms-receipts.test.ts)
    expect(JSON.stringify(prod().templates.app.Resources)).not.toMatch(/"Type":"AWS::Logs::LogGroup"[^}]*DirectPublishToPhoneNumber/);
  });

  it('names each web ACL log group anew for every stack created, so a stage deployed again after a teardown does not find the retained one in its way', () => {
    for (const synthesised of [dev(), prod()]) {
      for (const stack of ['web', 'edge'] as const) {
        const groups = ofType(synthesised.templates[stack], 'AWS::Logs::LogGroup').filter(([, group]) => JSON.stringify(group.Properties.LogGroupName ?? '').includes(WAF_LOG_GROUP_PREFIX));
        expect(groups).toHaveLength(1);
        const [, [first, stackId]] = groups[0][1].Properties.LogGroupName['Fn::Join'];
        expect([stack, first]).toEqual([stack, expect.stringMatching(new RegExp(`^${WAF_LOG_GROUP_PREFIX}${synthesised.stacks[stack].stackName}-`))]);
        expect(stackId).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] });
      }
    }
  });

  // What AWS lists as the actions a topic policy can name ("Valid Amazon SNS policy actions").
  const TOPIC_ACTIONS = ['AddPermission', 'DeleteTopic', 'GetDataProtectionPolicy', 'GetTopicAttributes', 'ListSubscriptionsByTopic', 'ListTagsForResource', 'Publish', 'PutDataProtectionPolicy', 'RemovePermission', 'SetTopicAttributes', 'Subscribe'].map((action) => `sns:${action}`);

  it('refuses every action on every topic and queue to anyone not using TLS, not only publishing', () => {
    for (const synthesised of [dev(), prod()]) {
      const withoutTls = (statement: Json) => statement.Effect === 'Deny' && ['*', JSON.stringify({ AWS: '*' })].includes(typeof statement.Principal === 'string' ? statement.Principal : JSON.stringify(statement.Principal)) && statement.Condition?.Bool?.['aws:SecureTransport'] === 'false';
      const refusals = (type: string, targets: string) =>
        all(synthesised).flatMap((t) => ofType(t, type)).flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement.filter(withoutTls).map((statement: Json) => ({ targets: JSON.stringify(policy.Properties[targets]), actions: list(statement.Action).sort() })));
      const topics = refusals('AWS::SNS::TopicPolicy', 'Topics');
      const queues = refusals('AWS::SQS::QueuePolicy', 'Queues');
      for (const [id] of all(synthesised).flatMap((t) => ofType(t, 'AWS::SNS::Topic'))) {
        expect([id, topics.filter(({ targets }) => targets.includes(`"${id}"`)).map(({ actions }) => actions)]).toEqual([id, [[...TOPIC_ACTIONS].sort()]]);
      }
      for (const [id] of all(synthesised).flatMap((t) => ofType(t, 'AWS::SQS::Queue'))) {
        expect([id, queues.filter(({ targets }) => targets.includes(`"${id}"`)).map(({ actions }) => actions)]).toEqual([id, [['sqs:*']]]);
      }
    }
  });

  it("names the REST API after its stage, and alarms only on its own stage's API metrics, so dev's and prod's in one account never set off each other's", () => {
    for (const [synthesised, stage] of [[dev(), 'dev'], [prod(), 'prod']] as const) {
      const app = synthesised.regional;
      const [[, restApi]] = ofType(app, 'AWS::ApiGateway::RestApi');
      expect(restApi.Properties.Name).toBe(`journey-tracker-${stage}`);
      const [[apiStage]] = ofType(app, 'AWS::ApiGateway::Stage');
      const apiAlarms = ofType(app, 'AWS::CloudWatch::Alarm').filter(([, alarm]) => alarm.Properties.Namespace === 'AWS/ApiGateway');
      expect(apiAlarms.map(([, alarm]) => alarm.Properties.MetricName).sort()).toEqual(['5XXError', 'Latency']);
      for (const [id, alarm] of apiAlarms) {
        expect([id, alarm.Properties.Dimensions]).toEqual([id, [{ Name: 'ApiName', Value: `journey-tracker-${stage}` }, { Name: 'Stage', Value: { Ref: apiStage } }]]);
      }
    }
  });

  it('keeps the backups in a vault nobody can delete them from or shorten their lives in, on a rotated key of their own that prod keeps', () => {
    const { data } = prod().templates;
    const [[, vault]] = ofType(data, 'AWS::Backup::BackupVault');
    expect(vault.Properties.AccessPolicy.Statement).toContainEqual({ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Resource: '*' });
    const key = logicalId(prod(), 'data', prod().stacks.data.keys.backups!);
    expect(vault.Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
    expect(data.Resources[key]).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    const aliases = ofType(data, 'AWS::KMS::Alias').filter(([, alias]) => JSON.stringify(alias.Properties.TargetKeyId).includes(`"${key}"`));
    expect(aliases.map(([, alias]) => alias.Properties.AliasName)).toEqual(['alias/journey-tracker-prod/backups']);
    // used for the backups and nothing else: only the vault and the alias name it
    const users = resourcesOf(data).filter(([id, resource]) => id !== key && JSON.stringify(resource).includes(`"${key}"`)).map(([, resource]) => resource.Type);
    expect(users.sort()).toEqual(['AWS::Backup::BackupVault', 'AWS::KMS::Alias']);
    // dev has no backups, and so no key for them
    expect(dev().stacks.data.keys.backups).toBeUndefined();
  });

  it("alarms when the API's web ACL keeps blocking lookups, on that web ACL's own metrics", () => {
    for (const synthesised of [dev(), prod()]) {
      const app = synthesised.regional;
      const [[, webAcl]] = ofType(app, 'AWS::WAFv2::WebACL');
      const ruleMetric = (name: string) => webAcl.Properties.Rules.find((rule: Json) => rule.Name === name).VisibilityConfig.MetricName;
      const blocked = ofType(app, 'AWS::CloudWatch::Alarm').filter(([, alarm]) => alarm.Properties.Namespace === 'AWS/WAFV2' && alarm.Properties.MetricName === 'CountedRequests');
      expect(blocked.map(([, alarm]) => alarm.Properties.Dimensions).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
        [PUBLIC_LOOKUP_LIMIT.name].map((rule) => [
          { Name: 'Region', Value: 'eu-west-2' },
          { Name: 'Rule', Value: ruleMetric(rule) },
          { Name: 'WebACL', Value: webAcl.Properties.Name },
        ]),
      );
      // the web ACL counts under its name too, whichever of the two CloudWatch's WebACL dimension takes
      expect(webAcl.Properties.VisibilityConfig.MetricName).toBe(webAcl.Properties.Name);
    }
  });
});

// The service's figures share the case table: whoever reads or counts them is held to their items
// (CASE_TABLE.performancePrefix), with only the calls the performance store makes.
describe("the service's figures", () => {
  const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);
  const FIGURES_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${CASE_TABLE.performancePrefix}*`] } };
  const needing = (need: string) => FUNCTIONS.filter((fn) => (fn.needs as readonly string[]).includes(need)).map((fn) => fn.name).sort();
  /** Every statement of the policies attached to the role of the registry's function `name` (the role's description starts with it). */
  const statementsOf = (template: Json, name: string): Json[] => {
    const [role, ...others] = ofType(template, 'AWS::IAM::Role').filter(([, r]) => String(r.Properties.Description ?? '').startsWith(`${name}: `)).map(([id]) => id);
    expect([name, others]).toEqual([name, []]);
    return ofType(template, 'AWS::IAM::Policy')
      .filter(([, policy]) => list(policy.Properties.Roles).some((r: Json) => r.Ref === role))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
  };
  const dynamo = (statements: Json[]) => statements.filter((statement) => list(statement.Action).some((action: string) => action.startsWith('dynamodb:')));
  const onFigures = (statement: Json) => JSON.stringify(statement.Condition ?? {}).includes('dynamodb:LeadingKeys');

  it("lets the functions that read or count figures reach only the items whose key starts with perf#, with only GetItem and BatchGetItem, and UpdateItem to count", () => {
    const writers = needing('performance:write');
    const readers = needing('performance:read');
    expect(writers).toEqual(['CheckDetails', 'PublishPositions', 'RecordOutcome', 'SmsNotifier', 'SmsReceipts']);
    expect(readers).toEqual(['CheckStatusPages', 'GetStatus', 'PerformancePages']);
    for (const synthesised of [dev(), prod()]) {
      const app = synthesised.regional;
      const caseTable = synthesised.stacks.data.getLogicalId(synthesised.stacks.data.cases.table.node.defaultChild as CfnElement);
      for (const fn of FUNCTIONS) {
        const figures = dynamo(statementsOf(app, fn.name)).filter(onFigures);
        const expected = writers.includes(fn.name) ? ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'] : readers.includes(fn.name) ? ['dynamodb:BatchGetItem', 'dynamodb:GetItem'] : undefined;
        expect([fn.name, figures.map((statement) => list(statement.Action).sort())]).toEqual([fn.name, expected ? [expected] : []]);
        for (const statement of figures) {
          expect([fn.name, statement.Effect, statement.Condition]).toEqual([fn.name, 'Allow', FIGURES_ONLY]);
          // the case table's items, not its queue index
          expect([fn.name, list(statement.Resource).length, JSON.stringify(statement.Resource)]).toEqual([fn.name, 1, expect.stringContaining(caseTable)]);
          expect(JSON.stringify(statement.Resource)).not.toContain('/index/');
        }
      }
      // a batch read is the figures' only: never of cases, never without the condition
      const batchReads = ofType(app, 'AWS::IAM::Policy').flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement).filter((statement: Json) => list(statement.Action).includes('dynamodb:BatchGetItem'));
      expect(batchReads.length).toBe(writers.length + readers.length);
      for (const statement of batchReads) expect(statement.Condition).toEqual(FIGURES_ONLY);
    }
  });

  it('lets the readers of figures change no item: no UpdateItem, PutItem or DeleteItem, and only the reads of the table key', () => {
    const app = prod().regional;
    const readers = needing('performance:read');
    expect(readers.length).toBeGreaterThan(0);
    for (const name of readers) {
      const statements = statementsOf(app, name);
      const actions = dynamo(statements).flatMap((statement) => list(statement.Action));
      expect([name, actions.filter((action: string) => /^dynamodb:(UpdateItem|PutItem|DeleteItem|BatchWriteItem|\*)$/.test(action))]).toEqual([name, []]);
      // DynamoDB decrypts the items it reads with the caller's permissions on the key: decrypting is all these need
      const throughDynamo = statements.filter((statement) => statement.Condition?.StringEquals?.['kms:ViaService']?.startsWith?.('dynamodb.'));
      expect([name, [...new Set(throughDynamo.flatMap((statement) => list(statement.Action)))].sort()]).toEqual([name, ['kms:Decrypt', 'kms:DescribeKey']]);
    }
    // a page that shows only figures reads nothing else of the table: every one of its DynamoDB statements is held to them
    const figuresOnly = FUNCTIONS.filter((fn) => fn.needs.some((need) => need.startsWith('performance:')) && !fn.needs.some((need) => need.startsWith('cases:'))).map((fn) => fn.name);
    expect(figuresOnly).toEqual(['PerformancePages']);
    for (const name of figuresOnly) for (const statement of dynamo(statementsOf(app, name))) expect([name, statement.Condition]).toEqual([name, FIGURES_ONLY]);
  });

  it('lets the functions that count figures use the table key to write, only through DynamoDB, and tells each function with a performance need the table', () => {
    const app = prod().regional;
    for (const name of needing('performance:write')) {
      const throughDynamo = statementsOf(app, name).filter((statement) => statement.Condition?.StringEquals?.['kms:ViaService']?.startsWith?.('dynamodb.'));
      expect([name, [...new Set(throughDynamo.flatMap((statement) => list(statement.Action)))].sort()]).toEqual([name, ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']]);
    }
    const functions = ofType(app, 'AWS::Lambda::Function');
    for (const spec of FUNCTIONS.filter((fn) => fn.needs.some((need) => need.startsWith('performance:')))) {
      const [, fn] = functions.find(([, f]) => f.Properties.Description === spec.description)!;
      expect([spec.name, Object.keys(fn.Properties.Environment.Variables)]).toEqual([spec.name, expect.arrayContaining(['TABLE_NAME'])]);
    }
  });
});
