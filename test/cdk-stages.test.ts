// Deployable into an agency's production account: both stages synthesise with cdk-nag's AWS
// Solutions and Serverless checks passing (synth fails on any finding not acknowledged with a
// reason), data kept apart from compute and kept in prod, the region checked against the agency's
// list, customer-managed keys on everything that holds case data, TLS only on topics and queues,
// and no permission on "*" except what has no resource to name.
import { App } from 'aws-cdk-lib';
import cdkJson from '../cdk.json';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { FUNCTIONS } from '../lambdas/functions';
import { deploymentFrom } from '../lib/deployment';
import { definePlatform } from '../lib/platform';
import { synthesiseStage, type Synthesised } from './support/synth';

// CloudFormation is free-form JSON.
type Json = any;

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
    expect(Object.values(dev().templates)).toHaveLength(3);
    expect([dev().stacks.data, dev().stacks.app, dev().stacks.edge].map((stack) => stack.stackName)).toEqual(['journey-tracker-dev-data', 'journey-tracker-dev-app', 'journey-tracker-dev-edge']);
    expect([prod().stacks.data, prod().stacks.app, prod().stacks.edge].map((stack) => stack.stackName)).toEqual(['journey-tracker-prod-data', 'journey-tracker-prod-app', 'journey-tracker-prod-edge']);
  });

  it('keeps everything that holds data in the data stack, and none of it in the app stack', () => {
    const stateful = ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Cognito::UserPool', 'AWS::S3::Bucket', 'AWS::Backup::BackupVault'];
    for (const type of stateful) expect(ofType(prod().templates.app, type)).toEqual([]);
    for (const type of stateful) expect(ofType(prod().templates.data, type).length).toBeGreaterThan(0);
    // and the app stack depends on the data stack, never the other way round
    expect(prod().stacks.app.dependencies).toContain(prod().stacks.data);
    expect(prod().stacks.data.dependencies).not.toContain(prod().stacks.app);
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
    for (const stack of [prod().stacks.data, prod().stacks.app, prod().stacks.edge]) expect([stack.stackName, stack.terminationProtection]).toEqual([stack.stackName, true]);
  });

  it('lets dev be destroyed: nothing retained or protected, no backups', () => {
    const { data } = dev().templates;
    for (const [id, resource] of [...ofType(data, 'AWS::DynamoDB::Table'), ...ofType(data, 'AWS::Cognito::UserPool'), ...ofType(data, 'AWS::S3::Bucket'), ...ofType(data, 'AWS::KMS::Key')]) {
      expect([id, resource.DeletionPolicy]).toEqual([id, 'Delete']);
    }
    for (const [, table] of ofType(data, 'AWS::DynamoDB::Table')) expect(table.Properties.DeletionProtectionEnabled).toBeFalsy();
    expect(ofType(data, 'AWS::Backup::BackupPlan')).toEqual([]);
    for (const stack of [dev().stacks.data, dev().stacks.app, dev().stacks.edge]) expect(stack.terminationProtection).toBe(false);
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

  it("will not deploy prod until someone is subscribed to its alarms, but synthesises it", () => {
    const rules = (synthesised: Synthesised) => Object.values(synthesised.templates.app.Rules ?? {}) as Json[];
    const [rule] = rules(prod()).filter((r) => JSON.stringify(r).includes('prodAlarmEmail'));
    expect(rule.Assertions[0].Assert).toEqual({ 'Fn::Equals': ['nobody is subscribed to the alarms', 'someone is'] });
    const subscribed = synthesiseStage({ stage: 'prod', context: { prodAlarmEmail: 'ops@example.gov.uk' } });
    try {
      expect(rules(subscribed).filter((r) => JSON.stringify(r).includes('prodAlarmEmail'))).toEqual([]);
      expect(ofType(subscribed.templates.app, 'AWS::SNS::Subscription').filter(([, sub]) => sub.Properties.Protocol === 'email').map(([, sub]) => sub.Properties.Endpoint)).toEqual(['ops@example.gov.uk']);
    } finally {
      subscribed.dispose();
    }
    // dev may have nobody
    expect(rules(dev()).filter((r) => JSON.stringify(r).includes('AlarmEmail'))).toEqual([]);
  });

  it('puts the app and data in the region cdk.json names, whatever the AWS profile says', () => {
    const synthesised = synthesiseStage({ stage: 'dev', environment: { CDK_DEFAULT_REGION: 'us-west-2', CDK_DEFAULT_ACCOUNT: '111111111111' } });
    try {
      expect([synthesised.stacks.data.region, synthesised.stacks.app.region, synthesised.stacks.edge.region]).toEqual(['eu-west-2', 'eu-west-2', 'us-east-1']);
      expect(synthesised.stacks.app.account).toBe('111111111111');
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
  const NO_RESOURCE_TYPE = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|sns:(Publish|CheckIfPhoneNumberIsOptedOut))$/;

  it('lets only the functions that list a queue query the case table, and only its queue index', () => {
    const { app } = prod().templates;
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
    expect(queueReaders).toEqual(['CaseworkerQueuePages', 'ListCases', 'RenewalReminders']);
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
    const statements = ofType(prod().templates.app, 'AWS::IAM::Policy').flatMap(([id, policy]) => policy.Properties.PolicyDocument.Statement.map((statement: Json) => ({ id, statement })));
    const list = (value: Json) => (Array.isArray(value) ? value : [value]);
    const keyUse = statements.filter(({ id, statement }) => FUNCTIONS.some((fn) => id.includes(`${fn.name}Role`)) && list(statement.Action).some((action: string) => action.startsWith('kms:')));
    expect(keyUse.length).toBeGreaterThan(FUNCTIONS.length / 2);
    for (const { id, statement } of keyUse) {
      if (list(statement.Action).some((action: string) => action.endsWith('*'))) continue; // CDK's grant to an on-failure queue (acknowledged)
      expect([id, statement.Condition?.StringEquals?.['kms:ViaService']]).toEqual([id, expect.stringMatching(/^(dynamodb|sns)\.eu-west-2\.amazonaws\.com$/)]);
    }
  });

  it('gives every function of the registry a role of its own with no AWS managed policy', () => {
    const { app } = prod().templates;
    const functions = ofType(app, 'AWS::Lambda::Function').filter(([, fn]) => FUNCTIONS.some((spec) => spec.description === fn.Properties.Description));
    expect(functions).toHaveLength(FUNCTIONS.length);
    const roles = new Set(functions.map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]));
    expect(roles.size).toBe(FUNCTIONS.length);
    for (const role of roles) expect([role, app.Resources[role].Properties.ManagedPolicyArns]).toEqual([role, undefined]);
  });

  it("reserves concurrency for the public functions, the stage's amount", () => {
    for (const [synthesised, expected] of [[dev(), 5], [prod(), 50]] as const) {
      const functions = ofType(synthesised.templates.app, 'AWS::Lambda::Function');
      for (const spec of FUNCTIONS.filter((fn) => 'access' in fn && fn.access === 'public')) {
        const [, fn] = functions.find(([, f]) => f.Properties.Description === spec.description)!;
        expect([spec.name, fn.Properties.ReservedConcurrentExecutions]).toEqual([spec.name, expected]);
      }
    }
  });

  it('gives every asynchronously invoked function an on-failure destination: the notifier and the scheduled jobs', () => {
    const { app } = prod().templates;
    const configs = ofType(app, 'AWS::Lambda::EventInvokeConfig');
    const asynchronous = FUNCTIONS.filter((fn) => fn.trigger === 'milestones' || fn.trigger === 'schedule');
    expect(configs).toHaveLength(asynchronous.length);
    for (const [, config] of configs) expect(config.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
  });
});
