// CDK assertion tests: the synthesised stacks keep the design's promises (Standard journeys wired
// to their steps, IAM scoped to the tables, Cognito on the caseworker API, the console's sign-in and
// sessions, alarms for ops, the site behind one CloudFront distribution and its WAF, and no
// circular dependency), checked against the same function registry, route table, rate limit and
// table definitions the handlers use.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AllowedMethods, CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { SESSION_TABLE } from '../lambdas/adapters/aws/session-table';
import { CONSOLE_PATHS, type SignInConfig } from '../lambdas/adapters/aws/sign-in-config';
import { ENV, environmentOf } from '../lambdas/environment';
import { FUNCTIONS, HTTP_ROUTES, JOURNEYS, PAGES, SCHEDULED, STEPS } from '../lambdas/functions';
import { signInDomainPrefix } from '../lib/caseworkers';
import { SCHEDULED_JOB_TIMEOUT_SECONDS, SESSION_ACTIONS } from '../lib/platform-function';
import { smsFilterPolicy } from '../lambdas/notify/subscriptions';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import { CLOUDFRONT_WAF_REGION, EdgeFirewallStack } from '../lib/edge-firewall';
import { synthesiseStage } from './support/synth';
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
/** the data stack's name, which the hosted sign-in's domain prefix starts with */
let dataStackName: string;
let assemblyDir: string;
/** the assets as the stack built them (it reuses a build whose inputs have not changed) */
let built: BuiltAssets;

const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, resource]) => resource.Type === type);

/**
 * The stage's stacks as bin/app.ts builds them (test/support/synth.ts): prod, unless asked. The
 * stacks in its region merged into one template (`regional`: each weak reference between them
 * replaced by what it refers to), so a reference from a function to the table, or from an alarm
 * to a function, reads as it would in one stack; the edge stack's template apart.
 */
function synthesise(options: { readonly context?: Record<string, unknown>; readonly siteDomain?: { name: string; certificateArn: string }; readonly signInDomainPrefix?: string; readonly bundle?: boolean } = {}) {
  const synthesised = synthesiseStage({
    stage: 'prod',
    bundle: options.bundle,
    context: {
      ...options.context,
      ...(options.siteDomain && { siteDomain: options.siteDomain.name, siteCertificateArn: options.siteDomain.certificateArn }),
      ...(options.signInDomainPrefix && { signInDomainPrefix: options.signInDomainPrefix }),
    },
  });
  return { assembly: synthesised.assembly, main: synthesised.regional, dataStackName: synthesised.stacks.data.stackName, edge: synthesised.templates.edge, dispose: synthesised.dispose };
}

let dispose: () => void = () => undefined;

// Synthesised once, with the functions bundled as they deploy.
beforeAll(() => {
  built = buildAssets();
  const synthesised = synthesise({ bundle: true });
  dispose = synthesised.dispose;
  assemblyDir = synthesised.assembly.directory;
  template = Template.fromJSON(synthesised.main);
  resources = template.toJSON().Resources;
  dataStackName = synthesised.dataStackName;
  edgeTemplate = Template.fromJSON(synthesised.edge);
}, 180_000);

afterAll(() => dispose());

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

  it('logs every step of every journey, but without execution data, which can quote the citizen', () => {
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });
});

/** A variable's value as CloudFormation would set it, each deploy-time reference a placeholder. */
const withPlaceholders = (value: Json, name: string): string => {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map((part) => withPlaceholders(part, name)).join(value['Fn::Join'][0]);
  return `placeholder-${name}`;
};

/** CDK's own functions (the one that copies the static assets to their bucket) have ids starting "Custom". */
/** The registry's functions: not CDK's own providers (BucketDeployment's Custom…, AwsCustomResource's AWS679f53fa…). */
const platformFunctions = () => ofType('AWS::Lambda::Function').filter(([id]) => !/^(Custom|AWS679f53fac002430cb0da5b7982bd2287)/.test(id));
const functionsByDescription = () => new Map(platformFunctions().map(([id, fn]) => [fn.Properties.Description, { id, fn }]));

describe('functions', () => {
  it('deploys every function of the registry, and no other', () => {
    const deployed = platformFunctions().map(([, fn]) => fn.Properties.Description);
    // strict: toEqual would let a function with no description through as a trailing undefined
    expect(deployed.sort()).toStrictEqual(FUNCTIONS.map((fn) => fn.description).sort());
  });

  it("gives each function exactly the environment its registry needs name, no more", () => {
    const deployed = functionsByDescription();
    for (const registered of FUNCTIONS) {
      const variables = Object.keys(deployed.get(registered.description)!.fn.Properties.Environment?.Variables ?? {}).filter((name) => !name.startsWith('AWS_') && !name.startsWith('NODE_'));
      // and the stage, which every function's metrics carry
      const expected = [...new Set([...registered.needs.flatMap((need) => environmentOf(need, registered.journeys)), ENV.stage])];
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
      // Deploy-time values (table name, ARNs, client id) are only placeholders here, inside the
      // literal text around them (so JSON stays JSON): start-up reads, never calls.
      const variables = Object.fromEntries(Object.entries(fn.Properties.Environment?.Variables ?? {}).map(([name, value]) => [name, withPlaceholders(value, name)]));
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

/** The case table: the one with the partition key the case store uses (the session table has another). */
const caseTableId = (): string => {
  const found = ofType('AWS::DynamoDB::Table').filter(([, table]) => table.Properties.KeySchema[0].AttributeName === CASE_TABLE.partitionKey);
  expect(found).toHaveLength(1);
  return found[0][0];
};
const sessionTableId = (): string => {
  const found = ofType('AWS::DynamoDB::Table').filter(([, table]) => table.Properties.KeySchema[0].AttributeName === SESSION_TABLE.partitionKey);
  expect(found).toHaveLength(1);
  return found[0][0];
};
const dynamoStatements = (): Json[] =>
  ofType('AWS::IAM::Policy')
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[])
    .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('dynamodb:')));

describe('data', () => {
  it('keeps cases in one retained table with the caseworker queue index, which carries no personal data', () => {
    // the case table and the console's session table
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    expect(SESSION_TABLE.partitionKey).not.toBe(CASE_TABLE.partitionKey);
    expect(resources[caseTableId()]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: expect.objectContaining({
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

  it('scopes every DynamoDB permission to the case table and its queue index, or to the session table, never "*"', () => {
    const caseArn = { 'Fn::GetAtt': [caseTableId(), 'Arn'] };
    const allowed = [caseArn, { 'Fn::Join': ['', [caseArn, `/index/${CASE_TABLE.queueIndex.name}`]] }, { 'Fn::GetAtt': [sessionTableId(), 'Arn'] }];
    const statements = dynamoStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const granted = [statement.Resource].flat();
      expect(granted.length).toBeGreaterThan(0);
      // the tables are the data stack's: the web and journeys stacks' functions name them through its outputs (merged here)
      for (const resource of granted) expect(allowed).toContainEqual(resource);
    }
  });

  it('lets no function scan or delete cases, or scan anything', () => {
    const caseArn = { 'Fn::GetAtt': [caseTableId(), 'Arn'] };
    const onCases = dynamoStatements().filter((statement) => [statement.Resource].flat().some((resource: Json) => JSON.stringify(resource).includes(JSON.stringify(caseArn))));
    const caseActions = onCases.flatMap((statement) => [statement.Action].flat());
    expect(caseActions).toContain('dynamodb:UpdateItem');
    expect(caseActions.filter((action: string) => /^dynamodb:(\*|Scan|DeleteItem|BatchWriteItem)$/.test(action))).toEqual([]);
    const allActions = dynamoStatements().flatMap((statement) => [statement.Action].flat());
    expect(allActions.filter((action: string) => /^dynamodb:(\*|Scan|BatchWriteItem)$/.test(action))).toEqual([]);
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

  it("puts the Cognito authoriser in front of every JSON caseworker route, and nothing in front of public routes or the console's pages (which check their session cookie)", () => {
    const deployed = methods().map(({ route, auth }) => ({ route, auth }));
    expect(deployed).toHaveLength(HTTP_ROUTES.length);
    const caseworkerApi = HTTP_ROUTES.filter((route) => route.access === 'caseworker' && route.responds === 'json');
    const consolePages = HTTP_ROUTES.filter((route) => route.access === 'caseworker' && route.responds === 'html');
    expect(caseworkerApi.length).toBeGreaterThan(0);
    expect(consolePages.length).toBeGreaterThan(0);
    for (const route of caseworkerApi) expect(deployed).toContainEqual({ route: `${route.method} ${route.path}`, auth: 'COGNITO_USER_POOLS' });
    for (const route of consolePages) expect(deployed).toContainEqual({ route: `${route.method} ${route.path}`, auth: 'NONE' });
    for (const route of HTTP_ROUTES.filter((r) => r.access === 'public')) expect(deployed).toContainEqual({ route: `${route.method} ${route.path}`, auth: 'NONE' });
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

describe('the caseworker console', () => {
  const CONSOLE_FUNCTIONS = ['CaseworkerSignInPages', 'CaseworkerQueuePages', 'CaseworkerCasePages'];
  const clients = () => ofType('AWS::Cognito::UserPoolClient');
  /** the console's client: the one that signs in through the hosted sign-in (OAuth) */
  const consoleClient = (): Json => {
    const oauth = clients().filter(([, client]) => client.Properties.AllowedOAuthFlowsUserPoolClient);
    expect(oauth).toHaveLength(1);
    return oauth[0][1].Properties;
  };
  const signInConfig = (): Record<keyof SignInConfig, string> => {
    const { fn } = functionsByDescription().get(FUNCTIONS.find((f) => f.name === 'CaseworkerSignInPages')!.description)!;
    return JSON.parse(resolve(fn.Properties.Environment.Variables[ENV.signIn]));
  };

  it("has a hosted sign-in domain on the user pool, Cognito's, with the data stack's name and account as its prefix", () => {
    const domains = ofType('AWS::Cognito::UserPoolDomain');
    expect(domains).toHaveLength(1);
    const [[, domain]] = domains;
    const [[poolId]] = ofType('AWS::Cognito::UserPool');
    expect(domain.Properties.UserPoolId).toEqual({ Ref: poolId });
    expect(domain.Properties.CustomDomainConfig).toBeUndefined();
    expect(dataStackName).toBe('journey-tracker-prod-data');
    expect(resolve(domain.Properties.Domain)).toBe('journey-tracker-prod-data-<Ref AWS::AccountId>');
    expect(template.toJSON().Outputs.SignInDomain.Value).toEqual({ 'Fn::Join': ['', ['https://', { Ref: domains[0][0] }, '.auth.eu-west-2.amazoncognito.com']] });
  });

  it('signs caseworkers in with the authorisation code grant only, as a public client (no secret: PKCE), returning to the console', () => {
    const client = consoleClient();
    expect(client).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.GenerateSecret).not.toBe(true);
    expect([...client.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    const [[distributionId]] = ofType('AWS::CloudFront::Distribution');
    expect(client.CallbackURLs).toHaveLength(1);
    expect(client.LogoutURLs).toHaveLength(1);
    expect(resolve(client.CallbackURLs[0])).toMatch(/\/caseworker\/callback$/);
    expect(resolve(client.LogoutURLs[0])).toMatch(/\/caseworker\/signed-out$/);
    // at the site's own address, CloudFront's when it has no domain of its own
    expect(client.CallbackURLs[0]).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, CONSOLE_PATHS.callback]] });
    expect(client.LogoutURLs[0]).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, CONSOLE_PATHS.signedOut]] });
  });

  it("keeps the console client's tokens short-lived, and the API client as it was (SRP, no OAuth)", () => {
    const client = consoleClient();
    expect(client.TokenValidityUnits).toEqual({ IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' });
    expect(client.IdTokenValidity).toBeLessThanOrEqual(15);
    expect(client.AccessTokenValidity).toBeLessThanOrEqual(15);
    expect(client.RefreshTokenValidity).toBeLessThanOrEqual(60);
    const api = clients().filter(([, c]) => !c.Properties.AllowedOAuthFlowsUserPoolClient);
    expect(api).toHaveLength(1);
    expect(api[0][1].Properties).toMatchObject({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], GenerateSecret: false });
    expect(api[0][1].Properties.AllowedOAuthFlows).toBeUndefined();
    expect(template.toJSON().Outputs.UserPoolClientId.Value).toEqual({ Ref: api[0][0] });
  });

  it('keeps sessions in their own on-demand, encrypted table, which DynamoDB empties of expired sessions', () => {
    expect(resources[sessionTableId()]).toMatchObject({
      Properties: {
        KeySchema: [{ AttributeName: SESSION_TABLE.partitionKey, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: SESSION_TABLE.partitionKey, AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: SESSION_TABLE.timeToLiveAttribute, Enabled: true },
      },
      // disposable: losing it signs everyone out
      DeletionPolicy: 'Delete',
    });
  });

  it('tells each console function the session table, and the sign-in pages (and any other that needs it) where caseworkers sign in', () => {
    const deployed = functionsByDescription();
    for (const name of CONSOLE_FUNCTIONS) {
      const registered = FUNCTIONS.find((f) => f.name === name);
      expect({ name, found: Boolean(registered) }).toEqual({ name, found: true });
      const variables = deployed.get(registered!.description)!.fn.Properties.Environment.Variables;
      expect({ name, table: variables[ENV.sessionTable] }).toEqual({ name, table: { Ref: sessionTableId() } });
      // the sign-in pages at least; the others as the registry says (e.g. to send a caseworker whose session ended to sign in)
      const signIn = name === 'CaseworkerSignInPages' || registered!.needs.includes('caseworkers:sign-in');
      expect({ name, signIn: ENV.signIn in variables }).toEqual({ name, signIn });
      if (signIn) expect({ name, config: variables[ENV.signIn] }).toEqual({ name, config: deployed.get(FUNCTIONS.find((f) => f.name === 'CaseworkerSignInPages')!.description)!.fn.Properties.Environment.Variables[ENV.signIn] });
    }
  });

  it("gives the sign-in pages the user pool's addresses, the console client and the site's address, as JSON", () => {
    const [[poolId]] = ofType('AWS::Cognito::UserPool');
    const [[domainId]] = ofType('AWS::Cognito::UserPoolDomain');
    const [[clientId]] = clients().filter(([, c]) => c.Properties.AllowedOAuthFlowsUserPoolClient);
    const [[distributionId]] = ofType('AWS::CloudFront::Distribution');
    const hosted = `https://<Ref ${domainId}>.auth.eu-west-2.amazoncognito.com`;
    const issuer = `https://cognito-idp.eu-west-2.amazonaws.com/<Ref ${poolId}>`;
    expect(signInConfig()).toEqual({
      issuer,
      clientId: `<Ref ${clientId}>`,
      authorizeUrl: `${hosted}/oauth2/authorize`,
      tokenUrl: `${hosted}/oauth2/token`,
      logoutUrl: `${hosted}/logout`,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      siteUrl: `https://<GetAtt ${distributionId}.DomainName>`,
    });
  });

  it('grants sign-in and sign-out GetItem, PutItem, UpdateItem and DeleteItem on the session table, the other console pages GetItem and UpdateItem, and nobody else anything on it', () => {
    const sessionArn = { 'Fn::GetAtt': [sessionTableId(), 'Arn'] };
    const actionsOf = (name: string) => {
      const needs = FUNCTIONS.find((f) => f.name === name)!.needs;
      return needs.includes('sessions:write') ? [...SESSION_ACTIONS['sessions:write']] : needs.includes('sessions:use') ? [...SESSION_ACTIONS['sessions:use']] : [];
    };
    expect(FUNCTIONS.filter((f) => actionsOf(f.name).length > 0).map((f) => f.name).sort()).toEqual([...CONSOLE_FUNCTIONS].sort());
    const deployed = functionsByDescription();
    for (const registered of FUNCTIONS) {
      const role = deployed.get(registered.description)!.fn.Properties.Role['Fn::GetAtt'][0];
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, policy]) => (policy.Properties.Roles as Json[]).some((r) => r.Ref === role))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[])
        .filter((statement) => JSON.stringify(statement.Resource).includes(JSON.stringify(sessionArn)));
      expect({ name: registered.name, actions: statements.flatMap((statement) => [statement.Action].flat()).sort() }).toEqual({ name: registered.name, actions: actionsOf(registered.name).sort() });
      for (const statement of statements) expect(statement.Resource).toEqual(sessionArn);
    }
    expect(actionsOf('CaseworkerSignInPages').sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(actionsOf('CaseworkerCasePages').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });

  it("gives the console's address and the hosted sign-in as outputs", () => {
    const [[distributionId]] = ofType('AWS::CloudFront::Distribution');
    const outputs = template.toJSON().Outputs;
    expect(outputs.CaseworkerSignInUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, CONSOLE_PATHS.home]] });
    expect(outputs.SignInDomain).toBeDefined();
  });

  it('takes a sign-in domain prefix Cognito accepts, and refuses one it would not', () => {
    const stack = new Stack(new App(), 'JourneyTracker', { env: { account: '111111111111', region: 'eu-west-2' } });
    expect(signInDomainPrefix(stack)).toBe('journeytracker-111111111111');
    expect(signInDomainPrefix(stack, 'permits-sign-in')).toBe('permits-sign-in');
    for (const bad of ['Permits', 'permits_sign_in', '-permits', 'permits-', 'my-aws-permits', 'amazonpermits', 'cognito-permits', 'p'.repeat(64)]) {
      expect(() => signInDomainPrefix(stack, bad)).toThrow(/signInDomainPrefix/);
    }
    expect(() => signInDomainPrefix(new Stack(new App(), 'AwsTracker'))).toThrow(/-c signInDomainPrefix/);
  });
});

describe('the stack', () => {
  // A cycle fails the synth itself (CDK's validation, the validateAgainstDefaultRules flag in
  // cdk.json) and Template.fromJSON in beforeAll. This test names the chain that would close it.
  it("keeps the site off the API's stage: the console's functions depend on the site, and the site on the REST API alone", () => {
    const dependencies = new Map(Object.entries(resources).map(([id, resource]) => [id, [...referencesIn(resource)].filter((target) => target !== id && target in resources)]));
    const [[distributionId]] = ofType('AWS::CloudFront::Distribution');
    const [[signInId]] = platformFunctions().filter(([id]) => id.includes('CaseworkerSignInPages'));
    // the sign-in is told the site's address and the console client, whose addresses are the site's
    expect(reachable(dependencies, signInId)).toContain(distributionId);
    const fromSite = reachable(dependencies, distributionId);
    expect(fromSite).toContain(ofType('AWS::ApiGateway::RestApi')[0][0]);
    const apiParts = [...ofType('AWS::ApiGateway::Stage'), ...ofType('AWS::ApiGateway::Deployment'), ...ofType('AWS::ApiGateway::Method'), ...platformFunctions()].map(([id]) => id);
    expect(apiParts.filter((id) => fromSite.has(id))).toEqual([]);
  });
});

/** The resources a resource refers to: Ref, Fn::GetAtt, Fn::Sub's ${...} and DependsOn. */
function referencesIn(resource: Json): Set<string> {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const walk = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, Json>)) {
        if (key === 'Ref' && typeof inner === 'string') found.add(inner);
        else if (key === 'Fn::GetAtt') found.add(Array.isArray(inner) ? inner[0] : String(inner).split('.')[0]);
        else if (key === 'Fn::Sub') {
          const [text, variables] = Array.isArray(inner) ? inner : [inner, undefined];
          for (const match of String(text).matchAll(/\$\{(\w+)/g)) found.add(match[1]);
          if (variables) walk(variables);
        } else walk(inner);
      }
    }
  };
  walk(resource.Properties);
  return found;
}

/** Everything a resource depends on, directly or not. */
function reachable(dependencies: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string): void => {
    for (const next of dependencies.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        visit(next);
      }
    }
  };
  visit(from);
  return seen;
}

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

  it("alarms on the errors and the throttles of every function in the registry, each named after it", () => {
    const deployed = functionsByDescription();
    for (const registered of FUNCTIONS) {
      const { id } = deployed.get(registered.description)!;
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `journey-tracker-prod-${registered.name}${metric}`,
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
          AlarmActions: [Match.anyValue()],
        });
      }
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

describe('scheduled jobs', () => {
  /** How EventBridge Scheduler writes a rate as CDK makes it: whole hours in hours. */
  const rate = (minutes: number) => (minutes % 60 === 0 ? `rate(${minutes / 60} hour${minutes === 60 ? '' : 's'})` : `rate(${minutes} minute${minutes === 1 ? '' : 's'})`);

  it("run each job of the registry on an EventBridge Scheduler schedule of its own, at the registry's interval, passing the scheduled time to the job", () => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(SCHEDULED.length);
    expect(SCHEDULED.map((job) => job.name).sort()).toEqual(['PublishPositions', 'RenewalReminders', 'StillWorkingTexts']);
    const deployed = functionsByDescription();
    for (const job of SCHEDULED) {
      const { id } = deployed.get(job.description)!;
      const mine = schedules.filter(([, schedule]) => JSON.stringify(schedule.Properties.Target.Arn) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }));
      expect([job.name, mine.length]).toEqual([job.name, 1]);
      const [[, schedule]] = mine;
      expect([job.name, schedule.Properties.ScheduleExpression]).toEqual([job.name, rate(job.everyMinutes)]);
      expect(schedule.Properties.Target.Input).toContain('<aws.scheduler.scheduled-time>');
      // long enough to read whole queues: a request's 10 seconds are not
      expect([job.name, resources[id].Properties.Timeout]).toEqual([job.name, SCHEDULED_JOB_TIMEOUT_SECONDS]);
    }
    // (and a rotation waits for CloudFront: test/cdk-origin-secret.test.ts)
    for (const fn of FUNCTIONS.filter((candidate) => candidate.trigger !== 'schedule' && candidate.trigger !== 'secret-rotation')) expect([fn.name, resources[deployed.get(fn.description)!.id].Properties.Timeout]).toEqual([fn.name, 10]);
  });

  it('keep a run the scheduler could not deliver, or that failed, in the one dead-letter queue', () => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    const queues = new Set(schedules.map(([, schedule]) => schedule.Properties.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0]));
    expect(queues.size).toBe(1);
    const [queue] = queues;
    expect(resources[queue].Type).toBe('AWS::SQS::Queue');
    for (const [id, schedule] of schedules) expect([id, schedule.Properties.Target.RetryPolicy.MaximumRetryAttempts]).toEqual([id, 2]);
    // and a run Lambda could not finish after its own retries goes to the same queue
    const deployed = functionsByDescription();
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    for (const job of SCHEDULED) {
      const { id } = deployed.get(job.description)!;
      const config = configs.find(([, c]) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: id }));
      expect([job.name, config?.[1].Properties.DestinationConfig.OnFailure.Destination]).toEqual([job.name, { 'Fn::GetAtt': [queue, 'Arn'] }]);
    }
  });
});

/** Resolves the intrinsics the WAF rules and origins use; other references stay opaque, as "<Ref id>". */
const resolve = (value: Json): string => {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(resolve).join(value['Fn::Join'][0]);
  if (value.Ref && resources[value.Ref]?.Type === 'AWS::ApiGateway::Stage') return resources[value.Ref].Properties.StageName;
  if (value.Ref) return `<Ref ${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<GetAtt ${value['Fn::GetAtt'].join('.')}>`;
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
  if (!byteMatch || byteMatch.TextTransformations.some((t: Json) => t.Type !== 'NONE' && t.Type !== 'URL_DECODE')) throw new Error(`cannot evaluate ${JSON.stringify(statement)}`);
  const field = byteMatch.FieldToMatch;
  const value = field.UriPath ? decodeURIComponent(request.path) : field.SingleHeader ? request.headers?.[field.SingleHeader.Name.toLowerCase()] : undefined;
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
// (applying takes a date of birth, so /applications and /apply/... are limited too: test/cdk-firewall.test.ts)
const NOT_LOOKUPS = ['/', '/apply', '/cases/APP-7K3M-9Q2X-4FJT', '/assets/styles-0123456789.css', '/assets/tracker-0123456789.js'];

/** The rate rule counts and labels a client over the limit; the rules after it answer 429 (test/cdk-firewall.test.ts reads which answer). */
const expectLocalLimit = (rule: Json, acl: Resource) => {
  expect(rule.Statement.RateBasedStatement).toMatchObject({ Limit: PUBLIC_LOOKUP_LIMIT.requests, EvaluationWindowSec: PUBLIC_LOOKUP_LIMIT.windowSeconds, AggregateKeyType: 'IP' });
  expect(rule.Action).toEqual({ Count: {} });
  const [label] = rule.RuleLabels as Json[];
  const answering = (acl.Properties.Rules as Json[]).filter((other) => JSON.stringify(other.Statement).includes(label.Name) && other.Priority > rule.Priority);
  expect(answering.map((other) => other.Action.Block.CustomResponse.ResponseCode)).toEqual([429, 429, 429]);
};

describe('the firewall', () => {
  it("limits status lookups per client IP at CloudFront, the JSON API's and the status pages', with the local server's numbers", () => {
    const acls = Object.values(edgeTemplate.findResources('AWS::WAFv2::WebACL')) as Resource[];
    expect(acls).toHaveLength(1);
    expect(acls[0].Properties.Scope).toBe('CLOUDFRONT');
    const rule = rateRuleOf(acls[0]);
    expectLocalLimit(rule, acls[0]);
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
    expectLocalLimit(rule, acl);
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
  /** the assets bucket: the one the assets are uploaded to (the other bucket keeps the access logs) */
  const bucketOf = (): [string, Resource] => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    const [[, deployment]] = ofType('Custom::CDKBucketDeployment');
    const named = ofType('AWS::S3::Bucket').filter(([id]) => JSON.stringify(deployment.Properties.DestinationBucketName) === JSON.stringify({ Ref: id }));
    expect(named).toHaveLength(1);
    return named[0];
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
    expect(resolve(origin.DomainName)).toBe(`<Ref ${apiId}>.execute-api.eu-west-2.<Ref AWS::URLSuffix>`);
    // the stage by name, not by reference: the stage depends on the console's functions, which depend on the site
    expect(origin.OriginPath).toBe(`/${resources[stageId].Properties.StageName}`);
    expect(JSON.stringify(origin)).not.toContain(stageId);
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(behaviour).toMatchObject({
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      ViewerProtocolPolicy: 'redirect-to-https',
    });
    expect([...behaviour.AllowedMethods].sort()).toEqual([...AllowedMethods.ALLOW_ALL.methods].sort());
  });

  it('caches the published performance\'s open data for everyone alike, from the same origin, with nothing of the reader\'s in the key', () => {
    const config = distributionConfig();
    for (const path of ['/performance.json', '/performance.csv']) {
      const behaviour = config.CacheBehaviors.find((candidate: Json) => candidate.PathPattern === path);
      expect(behaviour).toMatchObject({ CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId, Compress: true, ViewerProtocolPolicy: 'redirect-to-https', TargetOriginId: config.DefaultCacheBehavior.TargetOriginId });
      // no cookie, query or header of the reader's goes on: the same answer for everyone
      expect(behaviour.OriginRequestPolicyId).toBeUndefined();
      expect([...behaviour.AllowedMethods].sort()).toEqual(['GET', 'HEAD']);
    }
    // the page itself stays uncached: it is in the reader's language
    expect(config.CacheBehaviors.map((behaviour: Json) => behaviour.PathPattern)).not.toContain('/performance');
  });

  it('serves /assets/* from the bucket through origin access control, cached and compressed', () => {
    const behaviour = assetsBehaviour();
    expect(behaviour).toMatchObject({ CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId, Compress: true, ViewerProtocolPolicy: 'redirect-to-https' });
    const origin = originOf(behaviour);
    const [bucketId] = bucketOf();
    // the bucket's regional domain name, by the bucket's name: the web stack imports it by the name CloudFormation gave it
    expect(origin.S3OriginConfig).toBeDefined();
    expect(resolve(origin.DomainName)).toBe(`<Ref ${bucketId}>.s3.eu-west-2.amazonaws.com`);
    const control = resources[origin.OriginAccessControlId['Fn::GetAtt'][0]];
    expect(control.Type).toBe('AWS::CloudFront::OriginAccessControl');
    expect(control.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' });
  });

  it('lets CloudFormation name the assets bucket: prod keeps it after a teardown, and a name of our own would be in the way of the stage deployed again', () => {
    const [, bucket] = bucketOf();
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(bucket.Properties.BucketName).toBeUndefined();
  });

  it("keeps the assets bucket private: readable only by CloudFront for this account's distributions, over TLS only, encrypted, no website", () => {
    const [bucketId, bucket] = bucketOf();
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    // one policy, the data stack's, whether it names the bucket by reference or by name (the web stack's origin adds none)
    const policies = ofType('AWS::S3::BucketPolicy').filter(([, p]) => resolve(p.Properties.Bucket) === `<Ref ${bucketId}>`);
    expect(policies).toHaveLength(1);
    const [[, policy]] = policies;
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allowed).toHaveLength(1);
    // Any distribution of this account, not the one distribution: naming it would make the data
    // stack depend on the web stack (lib/site-buckets.ts). CloudFront alone, reading objects alone.
    const { Sid: _sid, Condition: condition, ...grant } = allowed[0];
    expect(grant).toEqual({ Effect: 'Allow', Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' }, Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] } });
    expect(condition).toEqual({ StringLike: { 'AWS:SourceArn': expect.anything() } });
    expect(resolve(condition.StringLike['AWS:SourceArn'])).toMatch(/^arn:(aws|<Ref AWS::Partition>):cloudfront::<Ref AWS::AccountId>:distribution\/\*$/);
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
    expect(reference).toMatchObject({ StackName: 'journey-tracker-prod-edge', Region: CLOUDFRONT_WAF_REGION });
    const [[aclId]] = Object.entries(edgeTemplate.findResources('AWS::WAFv2::WebACL', { Properties: { Scope: 'CLOUDFRONT' } }));
    expect(edgeTemplate.toJSON().Outputs[reference.OutputName].Value).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('speaks HTTP/2 and 3 from the cheapest price class, and gives its address', () => {
    expect(distributionConfig()).toMatchObject({ HttpVersion: 'http2and3', PriceClass: 'PriceClass_100' });
    const [[distributionId]] = ofType('AWS::CloudFront::Distribution');
    expect(template.toJSON().Outputs.SiteUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] });
    expect(template.toJSON().Outputs.ApiUrl).toBeDefined();
  });

  it("serves a domain of its own with its certificate and TLS 1.2 at least, where the console's sign-in returns", () => {
    const certificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
    // no bundling: only the distribution is looked at
    const { main, assembly } = synthesise({ context: { 'aws:cdk:bundling-stacks': [] }, siteDomain: { name: 'permits.example.gov.uk', certificateArn }, signInDomainPrefix: 'permits-sign-in' });
    try {
      const [distribution] = Object.values(Template.fromJSON(main).findResources('AWS::CloudFront::Distribution')) as Resource[];
      expect(distribution.Properties.DistributionConfig).toMatchObject({
        Aliases: ['permits.example.gov.uk'],
        ViewerCertificate: { AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      });
      expect(main.Outputs.SiteUrl.Value).toBe('https://permits.example.gov.uk/');
      // the console's sign-in returns to the site's own name
      expect(main.Outputs.CaseworkerSignInUrl.Value).toBe('https://permits.example.gov.uk/caseworker');
      const clients = Object.values(Template.fromJSON(main).findResources('AWS::Cognito::UserPoolClient')) as Resource[];
      const [signInClient] = clients.filter((client) => client.Properties.AllowedOAuthFlowsUserPoolClient);
      expect(Object.values(Template.fromJSON(main).findResources('AWS::Cognito::UserPoolDomain')).map((domain: Json) => domain.Properties.Domain)).toEqual(['permits-sign-in']);
      expect(signInClient.Properties).toMatchObject({ CallbackURLs: ['https://permits.example.gov.uk/caseworker/callback'], LogoutURLs: ['https://permits.example.gov.uk/caseworker/signed-out'] });
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
    // the data stack's bucket, by its name
    expect(deployment.Properties.DestinationBucketName).toEqual({ Ref: bucketOf()[0] });
    expect(deployment.Properties).toMatchObject({ DestinationBucketKeyPrefix: 'assets/', Prune: false });
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
