// CDK assertion tests: the synthesised stacks keep the design's promises (Standard journeys wired
// to their steps, IAM scoped to the one table, Cognito on caseworker routes, alarms for ops, the
// site behind one CloudFront distribution and its WAF), checked against the same function registry,
// route table, rate limit and table definitions the handlers use.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AllowedMethods, CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import cdkJson from '../cdk.json';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { ENV, environmentOf } from '../lambdas/environment';
import { FUNCTIONS, HTTP_ROUTES, JOURNEYS, PAGES, STEPS } from '../lambdas/functions';
import { smsFilterPolicy } from '../lambdas/notify/subscriptions';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import { CLOUDFRONT_WAF_REGION, EdgeFirewallStack } from '../lib/edge-firewall';
import { JourneyTrackerStack } from '../lib/journey-tracker-stack';
import { ASSET_CACHE_CONTROL } from '../lib/web';
import { ASSETS_URL_PATH, buildAssets, type BuiltAssets } from '../web/build';

// CloudFormation properties are free-form JSON.
type Json = any;
interface Resource {
  readonly Type: string;
  readonly Properties: Json;
}

let template: Template;
let resources: Record<string, Resource>;
let edgeTemplate: Template;
let assemblyDir: string;
/** the assets as the stack built them (it reuses a build whose inputs have not changed) */
let built: BuiltAssets;

const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** The stacks as bin/app.ts builds them: the web ACL's in us-east-1, the platform in its region. */
function synthesise(options: { readonly context?: Record<string, unknown>; readonly siteDomain?: { name: string; certificateArn: string } } = {}) {
  const app = new App({ context: { ...cdkJson.context, ...options.context } });
  const edge = new EdgeFirewallStack(app, 'JourneyTrackerEdge', { env: { region: CLOUDFRONT_WAF_REGION } });
  const stack = new JourneyTrackerStack(app, 'JourneyTracker', { env: { region: 'eu-west-2' }, edgeWebAclArn: edge.webAclArn, siteDomain: options.siteDomain });
  const assembly = app.synth();
  return { assembly, main: assembly.getStackByName(stack.stackName).template, edge: assembly.getStackByName(edge.stackName).template };
}

// Synthesised once: bundling runs esbuild for every function.
beforeAll(() => {
  built = buildAssets();
  const { assembly, main, edge } = synthesise();
  assemblyDir = assembly.directory;
  template = Template.fromJSON(main);
  resources = template.toJSON().Resources;
  edgeTemplate = Template.fromJSON(edge);
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

/** CDK's own functions (the one that copies the static assets to their bucket) have ids starting "Custom". */
const platformFunctions = () => ofType('AWS::Lambda::Function').filter(([id]) => !id.startsWith('Custom'));
const functionsByDescription = () => new Map(platformFunctions().map(([id, fn]) => [fn.Properties.Description, { id, fn }]));

describe('functions', () => {
  it('deploys every function of the registry, and no other', () => {
    const deployed = platformFunctions().map(([, fn]) => fn.Properties.Description);
    expect(deployed.sort()).toEqual(FUNCTIONS.map((fn) => fn.description).sort());
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
    const functions = platformFunctions();
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) expect({ id, runtime: fn.Properties.Runtime }).toEqual({ id, runtime: 'nodejs24.x' });
  });

  it('starts every function with the settings its handler requires at start-up', () => {
    const failures: string[] = [];
    for (const [id, fn] of platformFunctions()) {
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
  it('is one REST API, which compresses its pages and JSON (CloudFront compresses only what it caches)', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { MinimumCompressionSize: 1024 });
  });

  const pathOf = (ref: Json): string => {
    if (ref['Fn::GetAtt']) return ''; // the root resource
    const resource = resources[ref.Ref];
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  const methods = () =>
    ofType('AWS::ApiGateway::Method').map(([, method]) => ({
      route: `${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId) || '/'}`,
      auth: method.Properties.AuthorizationType,
      integration: method.Properties.Integration,
    }));

  it('answers every address of the route table (the JSON API and the pages), and no other', () => {
    expect(methods().map((method) => method.route).sort()).toEqual(HTTP_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    expect(HTTP_ROUTES.some((route) => route.path === '/')).toBe(true);
  });

  it('sends each address to the function the route table names for it', () => {
    const deployed = functionsByDescription();
    for (const route of HTTP_ROUTES) {
      const method = methods().find((candidate) => candidate.route === `${route.method} ${route.path}`);
      expect({ route: route.path, type: method?.integration.Type }).toEqual({ route: route.path, type: 'AWS_PROXY' });
      const invoked = JSON.stringify(method?.integration.Uri).match(/"Fn::GetAtt":\["(\w+)","Arn"\]/)?.[1];
      expect({ route: `${route.method} ${route.path}`, invoked }).toEqual({ route: `${route.method} ${route.path}`, invoked: deployed.get(route.fn.description)?.id });
    }
  });

  it('puts the Cognito authoriser in front of every caseworker route and nothing in front of public routes', () => {
    const deployed = methods().map(({ route, auth }) => ({ route, auth }));
    expect(deployed).toHaveLength(HTTP_ROUTES.length);
    for (const route of HTTP_ROUTES) {
      expect(deployed).toContainEqual({ route: `${route.method} ${route.path}`, auth: route.access === 'caseworker' ? 'COGNITO_USER_POOLS' : 'NONE' });
    }
  });

  it('throttles public reads (API lookups and pages) more tightly than the rest of the API, against guessing references', () => {
    const [[, stage]] = ofType('AWS::ApiGateway::Stage');
    const settings = stage.Properties.MethodSettings as Json[];
    const stageLimit = settings.find((s) => s.ResourcePath === '/*').ThrottlingRateLimit;
    const reads = HTTP_ROUTES.filter((route) => route.access === 'public' && route.method === 'GET');
    expect(reads.filter((route) => route.responds === 'html').length).toBeGreaterThan(0);
    for (const route of reads) {
      const resourcePath = route.path === '/' ? '/' : `/${route.path.replaceAll('/', '~1')}`;
      const method = settings.find((s) => s.HttpMethod === route.method && s.ResourcePath === resourcePath);
      expect({ route: route.path, limited: method?.ThrottlingRateLimit < stageLimit }).toEqual({ route: route.path, limited: true });
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

/** Resolves the intrinsics the WAF rules and origins use; other references stay opaque, as "<Ref id>". */
const resolve = (value: Json): string => {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(resolve).join(value['Fn::Join'][0]);
  if (value.Ref && resources[value.Ref]?.Type === 'AWS::ApiGateway::Stage') return resources[value.Ref].Properties.StageName;
  if (value.Ref) return `<Ref ${value.Ref}>`;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
};

interface Request {
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Whether a WAF statement matches a request: the part of WAF's rule language these web ACLs use. */
function matches(statement: Json, request: Request): boolean {
  if (statement.OrStatement) return (statement.OrStatement.Statements as Json[]).some((inner) => matches(inner, request));
  if (statement.AndStatement) return (statement.AndStatement.Statements as Json[]).every((inner) => matches(inner, request));
  if (statement.NotStatement) return !matches(statement.NotStatement.Statement, request);
  const byteMatch = statement.ByteMatchStatement;
  if (!byteMatch || byteMatch.TextTransformations.some((t: Json) => t.Type !== 'NONE')) throw new Error(`cannot evaluate ${JSON.stringify(statement)}`);
  const field = byteMatch.FieldToMatch;
  const value = field.UriPath ? request.path : field.SingleHeader ? request.headers?.[field.SingleHeader.Name.toLowerCase()] : undefined;
  if (value === undefined) return false;
  const search = resolve(byteMatch.SearchString);
  switch (byteMatch.PositionalConstraint) {
    case 'STARTS_WITH':
      return value.startsWith(search);
    case 'EXACTLY':
      return value === search;
    case 'CONTAINS':
      return value.includes(search);
    default:
      throw new Error(`cannot evaluate ${byteMatch.PositionalConstraint}`);
  }
}

const rateRuleOf = (acl: Resource): Json => (acl.Properties.Rules as Json[]).find((rule) => rule.Statement.RateBasedStatement);

/** What the site's own pages and the API look up by reference, and what they do not. */
const LOOKUPS = ['/status/APP-7K3M-9Q2X-4FJT', '/status/APP-7K3M-9Q2X-4FJT/information', '/track', '/track/APP-7K3M-9Q2X-4FJT', '/track/APP-7K3M-9Q2X-4FJT/renew', '/track/APP-7K3M-9Q2X-4FJT/answer'];
const NOT_LOOKUPS = ['/', '/apply', '/apply/parking-permit', '/applications', '/cases/APP-7K3M-9Q2X-4FJT', '/assets/styles-0123456789.css', '/assets/tracker-0123456789.js'];

const expectLocalLimit = (rule: Json) => {
  expect(rule.Statement.RateBasedStatement).toMatchObject({ Limit: PUBLIC_LOOKUP_LIMIT.requests, EvaluationWindowSec: PUBLIC_LOOKUP_LIMIT.windowSeconds, AggregateKeyType: 'IP' });
  expect(rule.Action.Block.CustomResponse.ResponseCode).toBe(429);
};

describe('the firewall', () => {
  it("limits status lookups per client IP at CloudFront, the JSON API's and the status pages', with the local server's numbers", () => {
    const acls = Object.values(edgeTemplate.findResources('AWS::WAFv2::WebACL')) as Resource[];
    expect(acls).toHaveLength(1);
    expect(acls[0].Properties.Scope).toBe('CLOUDFRONT');
    const rule = rateRuleOf(acls[0]);
    expectLocalLimit(rule);
    const scope = rule.Statement.RateBasedStatement.ScopeDownStatement;
    for (const path of LOOKUPS) expect({ path, counted: matches(scope, { path }) }).toEqual({ path, counted: true });
    for (const path of NOT_LOOKUPS) expect({ path, counted: matches(scope, { path }) }).toEqual({ path, counted: false });
  });

  it('keeps the CloudFront web ACL in us-east-1, the only region where CloudFront can use it', () => {
    expect(() => new EdgeFirewallStack(new App(), 'Edge', { env: { region: 'eu-west-2' } })).toThrow(/us-east-1/);
  });

  it("limits calls to the API's own URL the same way, but not what CloudFront forwarded, which CloudFront's web ACL limited per citizen", () => {
    const acls = ofType('AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    const [[aclId, acl]] = acls;
    expect(acl.Properties.Scope).toBe('REGIONAL');
    const [[stageId]] = ofType('AWS::ApiGateway::Stage');
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    const [[, association]] = ofType('AWS::WAFv2::WebACLAssociation');
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain(`{"Ref":"${stageId}"}`);

    const rule = rateRuleOf(acl);
    expectLocalLimit(rule);
    const scope = rule.Statement.RateBasedStatement.ScopeDownStatement;
    // the API's own URL has the stage in front of the path
    const stagePath = `/${resolve({ Ref: stageId })}`;
    const [origin] = (ofType('AWS::CloudFront::Distribution')[0][1].Properties.DistributionConfig.Origins as Json[]).filter((o) => o.OriginCustomHeaders);
    const [forwarded] = origin.OriginCustomHeaders as Json[];
    expect(JSON.stringify(forwarded.HeaderValue)).toContain('{{resolve:secretsmanager:');
    const viaCloudFront = { [forwarded.HeaderName.toLowerCase()]: resolve(forwarded.HeaderValue) };
    for (const path of LOOKUPS.map((p) => stagePath + p)) {
      expect({ path, direct: matches(scope, { path }), guessedHeader: matches(scope, { path, headers: { [forwarded.HeaderName.toLowerCase()]: 'guess' } }), viaCloudFront: matches(scope, { path, headers: viaCloudFront }) }).toEqual({ path, direct: true, guessedHeader: true, viaCloudFront: false });
    }
    for (const path of NOT_LOOKUPS.map((p) => stagePath + p)) expect({ path, counted: matches(scope, { path }) }).toEqual({ path, counted: false });
  });
});

describe('the site', () => {
  const distributionConfig = (): Json => {
    const distributions = ofType('AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
    return distributions[0][1].Properties.DistributionConfig;
  };
  const originOf = (behaviour: Json): Json => distributionConfig().Origins.find((origin: Json) => origin.Id === behaviour.TargetOriginId);
  const assetsBehaviour = (): Json => distributionConfig().CacheBehaviors.find((behaviour: Json) => behaviour.PathPattern === '/assets/*');
  const bucketOf = (): [string, Resource] => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(1);
    return buckets[0];
  };
  const stagedAssetFiles = (): string[] => {
    const [[, deployment]] = ofType('Custom::CDKBucketDeployment');
    const [key] = deployment.Properties.SourceObjectKeys as string[];
    return fs.readdirSync(path.join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`)).sort();
  };

  it('sends everything but the assets, uncached, to the API stage, which serves the pages and the API', () => {
    const behaviour = distributionConfig().DefaultCacheBehavior;
    const origin = originOf(behaviour);
    const [[apiId]] = ofType('AWS::ApiGateway::RestApi');
    const [[stageId]] = ofType('AWS::ApiGateway::Stage');
    expect(JSON.stringify(origin.DomainName)).toContain(`{"Ref":"${apiId}"}`);
    expect(JSON.stringify(origin.OriginPath)).toContain(`{"Ref":"${stageId}"}`);
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(behaviour).toMatchObject({
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      ViewerProtocolPolicy: 'redirect-to-https',
    });
    expect([...behaviour.AllowedMethods].sort()).toEqual([...AllowedMethods.ALLOW_ALL.methods].sort());
  });

  it('serves /assets/* from the bucket through origin access control, cached and compressed', () => {
    const behaviour = assetsBehaviour();
    expect(behaviour).toMatchObject({ CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId, Compress: true, ViewerProtocolPolicy: 'redirect-to-https' });
    const origin = originOf(behaviour);
    const [bucketId] = bucketOf();
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    const control = resources[origin.OriginAccessControlId['Fn::GetAtt'][0]];
    expect(control.Type).toBe('AWS::CloudFront::OriginAccessControl');
    expect(control.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' });
  });

  it('keeps the assets bucket private: readable by this distribution only, over TLS only, encrypted, no website', () => {
    const [bucketId, bucket] = bucketOf();
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    const [[, policy]] = ofType('AWS::S3::BucketPolicy').filter(([, p]) => p.Properties.Bucket.Ref === bucketId);
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');
    const [[distributionId]] = ofType('AWS::CloudFront::Distribution');
    expect(allowed).toHaveLength(1);
    expect(allowed[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(allowed[0].Condition.StringEquals['AWS:SourceArn'])).toContain(`{"Ref":"${distributionId}"}`);
  });

  it('sets HSTS, frame denial, nosniff and no referrer on everything it serves; a CSP that allows nothing on the assets, the pages sending their own', () => {
    const config = distributionConfig();
    const headersOf = (behaviour: Json): Json => resources[behaviour.ResponseHeadersPolicyId.Ref].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      const headers = headersOf(behaviour);
      expect(headers.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
      expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
      expect(headers).toMatchObject({ FrameOptions: { FrameOption: 'DENY', Override: true }, ContentTypeOptions: { Override: true }, ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true } });
    }
    expect(headersOf(assetsBehaviour()).ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", Override: true });
    expect(headersOf(config.DefaultCacheBehavior).ContentSecurityPolicy).toBeUndefined();
  });

  it('is behind the CloudFront web ACL of the us-east-1 stack', () => {
    const reference = distributionConfig().WebACLId['Fn::GetStackOutput'];
    expect(reference).toMatchObject({ StackName: 'JourneyTrackerEdge', Region: CLOUDFRONT_WAF_REGION });
    const [[aclId]] = Object.entries(edgeTemplate.findResources('AWS::WAFv2::WebACL', { Properties: { Scope: 'CLOUDFRONT' } }));
    expect(edgeTemplate.toJSON().Outputs[reference.OutputName].Value).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('speaks HTTP/2 and 3 from the cheapest price class, and gives its address', () => {
    expect(distributionConfig()).toMatchObject({ HttpVersion: 'http2and3', PriceClass: 'PriceClass_100' });
    const [[distributionId]] = ofType('AWS::CloudFront::Distribution');
    expect(template.toJSON().Outputs.SiteUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] });
    expect(template.toJSON().Outputs.ApiUrl).toBeDefined();
  });

  it('serves a domain of its own with its certificate and TLS 1.2 at least', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
    // no bundling: only the distribution is looked at
    const { main, assembly } = synthesise({ context: { 'aws:cdk:bundling-stacks': [] }, siteDomain: { name: 'permits.example.gov.uk', certificateArn } });
    try {
      const [distribution] = Object.values(Template.fromJSON(main).findResources('AWS::CloudFront::Distribution')) as Resource[];
      expect(distribution.Properties.DistributionConfig).toMatchObject({
        Aliases: ['permits.example.gov.uk'],
        ViewerCertificate: { AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      });
      expect(main.Outputs.SiteUrl.Value).toBe('https://permits.example.gov.uk/');
    } finally {
      fs.rmSync(assembly.directory, { recursive: true, force: true });
    }
  }, 60_000);

  it("uploads the fingerprinted assets, and not the build's manifest, under /assets/ with a year's immutable caching, never deleting old ones", () => {
    const files = stagedAssetFiles();
    expect(files).toEqual(Object.values(built.paths).map((url) => url.slice(ASSETS_URL_PATH.length)).sort());
    expect(files).not.toContain('manifest.json');
    for (const file of files) expect(file).toMatch(/^[\w.-]+-[0-9a-f]{10}\.\w+$/);
    const [[, deployment]] = ofType('Custom::CDKBucketDeployment');
    expect(deployment.Properties).toMatchObject({ DestinationBucketName: { Ref: bucketOf()[0] }, DestinationBucketKeyPrefix: 'assets/', Prune: false });
    expect(deployment.Properties.SystemMetadata['cache-control']).toBe(ASSET_CACHE_CONTROL);
    expect(ASSET_CACHE_CONTROL.split(/,\s*/).sort()).toEqual(['immutable', 'max-age=31536000', 'public']);
  });

  it('tells every page function the paths of exactly the files it uploads', () => {
    const files = stagedAssetFiles();
    const deployed = functionsByDescription();
    expect(PAGES.length).toBeGreaterThan(0);
    for (const page of PAGES) {
      const paths = JSON.parse(deployed.get(page.description)!.fn.Properties.Environment.Variables[ENV.assetPaths]) as Record<string, string>;
      expect(paths).toEqual(built.paths);
      expect(Object.keys(paths)).toEqual(expect.arrayContaining(['styles.css', 'enhance.js']));
      expect(Object.values(paths).sort()).toEqual(files.map((file) => `/assets/${file}`));
    }
  });
});
