// CDK assertions for what stands in front of the handlers: both web ACLs (CloudFront's in
// us-east-1, and the regional one on the API stage) rate limit every public route that takes a
// reference or a date of birth (computed from the route table, as the local server's limits are),
// run AWS's managed rule groups, and log what they block to encrypted log groups without
// credentials; API Gateway validates every method's parameters and throttles the date of birth
// checks hardest. Small stacks of their own, without bundling, so this file does not depend on
// how the app's stacks are put together.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { cognitoSignIn } from '../lambdas/adapters/aws/sign-in-config';
import { HTTP_ROUTES, JOURNEYS, type HttpRoute } from '../lambdas/functions';
import { DATE_OF_BIRTH_LIMIT, DATE_OF_BIRTH_ROUTES, LOOKUP_ROUTES, PUBLIC_LOOKUP_LIMIT, RATE_LIMITS } from '../lambdas/http/rate-limits';
import { API_STAGE_NAME, Api, DATE_OF_BIRTH_THROTTLE, PUBLIC_LOOKUP_THROTTLE } from '../lib/api';
import { CLOUDFRONT_WAF_REGION, EdgeFirewallStack } from '../lib/edge-firewall';
import { Firewall, MANAGED_RULE_GROUPS, WAF_LOG_GROUP_PREFIX } from '../lib/firewall';
import type { WebAclMetrics } from '../lib/types';
import { LOG_RETENTION } from '../lib/platform-function';
import { trustedHeaderValues, withTrustedHeaderValues } from '../lambdas/adapters/aws/origin-secret';

// CloudFormation properties are free-form JSON.
type Json = any;

const FORWARDED = { headerName: 'x-origin-verify', headerValues: ['from-cloudfront', 'from-cloudfront-next'] as const };
const REFERENCE = 'APP-7K3M-9Q2X-4FJT';

function synthesise(options: { keepsData?: boolean } = {}) {
  // no esbuild: the templates are the same, only the code assets are placeholders
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const edge = new EdgeFirewallStack(app, 'Edge', { env: { account: '111111111111', region: CLOUDFRONT_WAF_REGION }, keepsData: options.keepsData });
  const stack = new Stack(app, 'Regional', { env: { account: '111111111111', region: 'eu-west-2' } });
  const api = new Api(stack, 'Api', { stage: 'test' });
  const arn = (journey: string) => `arn:aws:states:eu-west-2:111111111111:stateMachine:${journey}`;
  api.addRoutes({
    resources: {
      table: Table.fromTableName(stack, 'Cases', 'cases'),
      milestones: Topic.fromTopicArn(stack, 'Milestones', 'arn:aws:sns:eu-west-2:111111111111:milestones'),
      stateMachines: Object.fromEntries(JOURNEYS.map((journey) => [journey, Object.assign(StateMachine.fromStateMachineArn(stack, journey, arn(journey)), { liveAliasArn: `${arn(journey)}:live` })])),
      assetPaths: {},
      sessionTable: Table.fromTableName(stack, 'Sessions', 'sessions'),
      signIn: cognitoSignIn({ region: 'eu-west-2', userPoolId: 'eu-west-2_abc', clientId: 'client', domainUrl: 'https://sign-in.example', siteUrl: 'https://site.example' }),
    },
    caseworkerPool: UserPool.fromUserPoolId(stack, 'Caseworkers', 'eu-west-2_abc'),
  });
  const firewall = new Firewall(stack, 'Firewall', { stage: api.restApi.deploymentStage, forwardedBy: FORWARDED, logsKey: new Key(stack, 'LogsKey', { enableKeyRotation: true }) });
  return { edge: Template.fromStack(edge), regional: Template.fromStack(stack), metrics: firewall.metrics };
}

let edge: Template;
let regional: Template;
let metrics: WebAclMetrics;
beforeAll(() => {
  ({ edge, regional, metrics } = synthesise());
}, 120_000);

const only = (template: Template, type: string): [string, Json] => {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
};
const webAclOf = (template: Template): Json => only(template, 'AWS::WAFv2::WebACL')[1].Properties;
/** A log group's name as far as it is known before deploying: its first part when it is joined from several. */
const logGroupName = (group: Json): string => {
  const name = group.Properties.LogGroupName;
  return typeof name === 'string' ? name : name?.['Fn::Join']?.[1][0] ?? '';
};
const both = (): [string, Template][] => [
  ['CloudFront', edge],
  ['regional', regional],
];

/** The template's strings, with the API stage's name put in for its Ref (the only reference a rule's search string holds). */
function resolve(template: Template, value: Json): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map((part) => resolve(template, part)).join(value['Fn::Join'][0]);
  const stage = value.Ref && template.toJSON().Resources[value.Ref];
  if (stage?.Type === 'AWS::ApiGateway::Stage') return stage.Properties.StageName;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

interface Request {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** labels earlier rules put on the request */
  readonly labels?: readonly string[];
}

const TRANSFORMATIONS: Record<string, (value: string) => string> = { NONE: (value) => value, URL_DECODE: decodeURIComponent, LOWERCASE: (value) => value.toLowerCase() };

/** Whether a WAF statement matches a request: the part of WAF's rule language these web ACLs use. */
function matches(template: Template, statement: Json, request: Request): boolean {
  if (statement.OrStatement) return (statement.OrStatement.Statements as Json[]).some((inner) => matches(template, inner, request));
  if (statement.AndStatement) return (statement.AndStatement.Statements as Json[]).every((inner) => matches(template, inner, request));
  if (statement.NotStatement) return !matches(template, statement.NotStatement.Statement, request);
  if (statement.LabelMatchStatement) return statement.LabelMatchStatement.Scope === 'LABEL' && (request.labels ?? []).includes(statement.LabelMatchStatement.Key);
  const byteMatch = statement.ByteMatchStatement;
  if (!byteMatch) throw new Error(`cannot evaluate ${JSON.stringify(statement)}`);
  const field = byteMatch.FieldToMatch;
  const raw = field.UriPath
    ? request.path
    : field.Method
      ? request.method
      : field.SingleHeader
        ? request.headers?.[field.SingleHeader.Name.toLowerCase()]
        : field.SingleQueryArgument
          ? request.query?.[field.SingleQueryArgument.Name]
          : field.Cookies
            ? (field.Cookies.MatchPattern.IncludedCookies as string[]).map((name) => request.cookies?.[name]).find((value) => value !== undefined)
            : undefined;
  if (raw === undefined) return false;
  const value = (byteMatch.TextTransformations as Json[]).reduce((text: string, t: Json) => TRANSFORMATIONS[t.Type](text), raw);
  const search = resolve(template, byteMatch.SearchString);
  if (byteMatch.PositionalConstraint === 'STARTS_WITH') return value.startsWith(search);
  if (byteMatch.PositionalConstraint === 'EXACTLY') return value === search;
  throw new Error(`cannot evaluate ${byteMatch.PositionalConstraint}`);
}

/**
 * What the web ACL answers a request from a client over every rate limit: the rule that refuses it,
 * and that rule's custom response. Rules run in priority order, as WAF runs them; a rate rule over
 * its limit counts the request and labels it.
 */
function answerOverLimit(template: Template, request: Request): { rule: string; response: Json } | undefined {
  const rules = [...(webAclOf(template).Rules as Json[])].sort((a, b) => a.Priority - b.Priority);
  let labels: string[] = [];
  for (const rule of rules) {
    if (rule.Statement.ManagedRuleGroupStatement) continue;
    if (rule.Statement.RateBasedStatement) {
      if (matches(template, rule.Statement.RateBasedStatement.ScopeDownStatement, request)) {
        expect(rule.Action).toEqual({ Count: {} });
        labels = [...labels, ...(rule.RuleLabels as Json[]).map((label) => label.Name)];
      }
      continue;
    }
    if (rule.Action.Block && matches(template, rule.Statement, { ...request, labels })) return { rule: rule.Name, response: rule.Action.Block.CustomResponse };
  }
  return undefined;
}

/** The names of the rate rules that count a request. */
const rateRulesCounting = (template: Template, request: Request): string[] =>
  (webAclOf(template).Rules as Json[]).filter((rule) => rule.Statement.RateBasedStatement && matches(template, rule.Statement.RateBasedStatement.ScopeDownStatement, request)).map((rule) => rule.Name);

/** A request a citizen could send to the route, at CloudFront's address (the citizen's path) or the API's own (the stage in front). */
const requestTo = (route: HttpRoute, where: string): Request => {
  const path = route.path.replaceAll('{reference}', REFERENCE).replace('{proxy+}', 'some/where').replace(/\{\w+\}/g, 'x');
  return { method: route.method, path: where === 'regional' ? `/${API_STAGE_NAME}${path}` : path };
};
const named = (route: HttpRoute) => `${route.method} ${route.path}`;

describe('rate limits in both web ACLs', () => {
  it('counts every public route that takes a reference or a date of birth, the date of birth checks twice, with the limits the local server enforces', () => {
    expect(LOOKUP_ROUTES.length).toBeGreaterThan(10);
    expect(DATE_OF_BIRTH_ROUTES.map(named).sort()).toEqual(
      ['POST /appeals', 'POST /renewals', 'POST /status/{reference}/information', 'POST /track/{reference}/answer', 'POST /track/{reference}/appeal', 'POST /track/{reference}/renew'].sort(),
    );
    for (const [where, template] of both()) {
      const rules = (webAclOf(template).Rules as Json[]).filter((rule) => rule.Statement.RateBasedStatement);
      expect(rules.map((rule) => [rule.Name, rule.Statement.RateBasedStatement.Limit, rule.Statement.RateBasedStatement.EvaluationWindowSec, rule.Statement.RateBasedStatement.AggregateKeyType])).toEqual(
        RATE_LIMITS.map((limit) => [limit.name, limit.requests, limit.windowSeconds, 'IP']),
      );
      for (const route of LOOKUP_ROUTES) {
        const expected = DATE_OF_BIRTH_ROUTES.includes(route) ? [PUBLIC_LOOKUP_LIMIT.name, DATE_OF_BIRTH_LIMIT.name] : [PUBLIC_LOOKUP_LIMIT.name];
        expect({ where, route: named(route), rules: rateRulesCounting(template, requestTo(route, where)) }).toEqual({ where, route: named(route), rules: expected });
      }
    }
  });

  it('leaves the caseworkers, the other addresses and the assets alone', () => {
    // (the lookup limit counts every method at an address: GET /apply/{service} with its POST)
    const others = HTTP_ROUTES.filter((route) => !LOOKUP_ROUTES.some((lookup) => lookup.path === route.path) && route.path !== '/{proxy+}');
    expect(others.filter((route) => route.access === 'caseworker').length).toBeGreaterThan(5);
    for (const [where, template] of both()) {
      for (const route of others) expect({ where, route: named(route), rules: rateRulesCounting(template, requestTo(route, where)) }).toEqual({ where, route: named(route), rules: [] });
      expect(rateRulesCounting(template, { method: 'GET', path: '/assets/styles-0123456789.css' })).toEqual([]);
    }
  });

  it('checks a date of birth under a looser limit per address than before, and tighter than a lookup: a guesser meets the case\'s own limit first', () => {
    expect(DATE_OF_BIRTH_LIMIT.requests).toBeGreaterThanOrEqual(60);
    expect(DATE_OF_BIRTH_LIMIT.requests / DATE_OF_BIRTH_LIMIT.windowSeconds).toBeLessThan(PUBLIC_LOOKUP_LIMIT.requests / PUBLIC_LOOKUP_LIMIT.windowSeconds);
  });

  it('sees through percent-encoded paths, as API Gateway routes them', () => {
    expect(rateRulesCounting(edge, { method: 'POST', path: '/%72enewals' })).toEqual([PUBLIC_LOOKUP_LIMIT.name, DATE_OF_BIRTH_LIMIT.name]);
    expect(rateRulesCounting(regional, { method: 'GET', path: `/${API_STAGE_NAME}/%73tatus/${REFERENCE}` })).toEqual([PUBLIC_LOOKUP_LIMIT.name]);
  });

  it("does not count again at the API's own address what CloudFront forwarded (CloudFront's web ACL counted it per citizen), with either of the two values it trusts, and only those", () => {
    const guess = { method: 'POST', path: `/${API_STAGE_NAME}/renewals` };
    // both: while the secret rotates, some edges send the old value and some the new
    for (const value of FORWARDED.headerValues) expect([value, rateRulesCounting(regional, { ...guess, headers: { [FORWARDED.headerName]: value } })]).toEqual([value, []]);
    expect(rateRulesCounting(regional, { ...guess, headers: { [FORWARDED.headerName]: 'a guess' } })).toEqual([PUBLIC_LOOKUP_LIMIT.name, DATE_OF_BIRTH_LIMIT.name]);
  });

  it('is a rule the origin secret\'s rotation can read and change: every rule that leaves CloudFront out names the two values, and the rotation changes them all and nothing else', () => {
    const { Rules: rules } = webAclOf(regional);
    expect(trustedHeaderValues(rules, FORWARDED.headerName)).toEqual(FORWARDED.headerValues);
    const rotated = withTrustedHeaderValues(rules, FORWARDED.headerName.toUpperCase(), ['from-cloudfront-next', 'from-cloudfront-next']);
    expect(trustedHeaderValues(rotated, FORWARDED.headerName)).toEqual(['from-cloudfront-next', 'from-cloudfront-next']);
    // every rate rule's exemption changed (the API's JSON sends the values as bytes), and nothing else
    const asText = (value: Json): Json => JSON.parse(JSON.stringify(value, (_key, inner) => (inner instanceof Uint8Array ? new TextDecoder().decode(inner) : inner)));
    expect(asText(rotated)).toEqual(JSON.parse(JSON.stringify(rules).replaceAll('"from-cloudfront"', '"from-cloudfront-next"')));
    expect(JSON.stringify(rules)).toContain('"from-cloudfront"');
    // and a web ACL without the pair is refused, not half-changed
    expect(() => trustedHeaderValues(webAclOf(edge).Rules, FORWARDED.headerName)).toThrow(/no rule that matches either of two values of the x-origin-verify header/);
  });

  it('answers a client over a limit with a 429 and when to try again: the JSON error shape from the API, a page in the citizen\'s language at a page\'s address', () => {
    for (const [where, template] of both()) {
      const acl = webAclOf(template);
      const at = (path: string) => (where === 'regional' ? `/${API_STAGE_NAME}${path}` : path);
      const cases: [Request, 'json' | 'en' | 'cy'][] = [
        [{ method: 'POST', path: at('/renewals') }, 'json'],
        [{ method: 'GET', path: at(`/status/${REFERENCE}`), cookies: { lang: 'cy' } }, 'json'],
        [{ method: 'GET', path: at(`/track/${REFERENCE}`) }, 'en'],
        [{ method: 'POST', path: at(`/track/${REFERENCE}/renew`), cookies: { lang: 'cy' } }, 'cy'],
        [{ method: 'GET', path: at(`/track/${REFERENCE}`), query: { lang: 'CY' } }, 'cy'],
        [{ method: 'GET', path: at(`/confirmation/${REFERENCE}`), headers: { 'accept-language': 'cy-GB,cy;q=0.9,en;q=0.5' } }, 'cy'],
        // a citizen who chose English on a Welsh browser keeps English
        [{ method: 'GET', path: at(`/track/${REFERENCE}`), headers: { 'accept-language': 'cy' }, cookies: { lang: 'en' } }, 'en'],
      ];
      for (const [request, expected] of cases) {
        const answer = answerOverLimit(template, request);
        expect({ where, request, status: answer?.response.ResponseCode }).toEqual({ where, request, status: 429 });
        const retryAfter = answer!.response.ResponseHeaders.find((header: Json) => header.Name === 'Retry-After');
        expect(retryAfter).toEqual({ Name: 'Retry-After', Value: String(PUBLIC_LOOKUP_LIMIT.windowSeconds) });
        const body = acl.CustomResponseBodies[answer!.response.CustomResponseBodyKey];
        if (expected === 'json') {
          expect({ where, request, type: body.ContentType }).toEqual({ where, request, type: 'APPLICATION_JSON' });
          expect(JSON.parse(body.Content)).toEqual({ error: { code: 'rate-limited', message: expect.stringMatching(/^Too many .+ Try again in 5 minutes\.$/) } });
        } else {
          expect({ where, request, type: body.ContentType }).toEqual({ where, request, type: 'TEXT_HTML' });
          expect(body.Content).toContain(`<html lang="${expected}"`);
          expect(body.Content).toContain(expected === 'cy' ? 'Gormod o ymdrechion' : 'Too many tries from your connection');
          expect(Buffer.byteLength(body.Content)).toBeLessThan(4096); // WAF's limit for a body
          expect(answer!.response.ResponseHeaders).toEqual(expect.arrayContaining([{ Name: 'Content-Language', Value: expected }, { Name: 'content-security-policy', Value: expect.stringContaining("default-src 'self'") }]));
        }
      }
      // and a request under the limit, or at an address no limit covers, is not answered by them
      expect(answerOverLimit(template, { method: 'GET', path: at('/caseworker') })).toBeUndefined();
    }
  });
});

describe("AWS's managed rule groups in both web ACLs", () => {
  it('runs the common rule set, known bad inputs and IP reputation after the rate rules, each rule at its own priority', () => {
    for (const [where, template] of both()) {
      const rules = webAclOf(template).Rules as Json[];
      const managed = rules.filter((rule) => rule.Statement.ManagedRuleGroupStatement);
      expect({ where, groups: managed.map((rule) => rule.Statement.ManagedRuleGroupStatement.Name).sort() }).toEqual({
        where,
        groups: ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'],
      });
      for (const rule of managed) {
        expect(rule.Statement.ManagedRuleGroupStatement.VendorName).toBe('AWS');
        // the group's own actions (block), not count
        expect(rule.OverrideAction).toEqual({ None: {} });
      }
      const priorities = rules.map((rule) => rule.Priority);
      expect(new Set(priorities).size).toBe(rules.length);
      const rateRules = rules.filter((rule) => rule.Statement.RateBasedStatement);
      expect(Math.max(...rateRules.map((rule) => rule.Priority))).toBeLessThan(Math.min(...managed.map((rule) => rule.Priority)));
    }
  });

  it('only counts bodies over 8 KB, which a long answer sent from a form can be: every other rule blocks', () => {
    for (const [, template] of both()) {
      const common = (webAclOf(template).Rules as Json[]).find((rule) => rule.Name === 'AWSManagedRulesCommonRuleSet');
      expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    }
    expect(MANAGED_RULE_GROUPS.flatMap((group) => group.countOnly ?? [])).toEqual(['SizeRestrictions_BODY']);
  });
});

describe('WAF logging', () => {
  it('logs each web ACL to a log group of its own, named as WAF requires, kept as long as the other logs, encrypted with a customer-managed key', () => {
    for (const [where, template] of both()) {
      const [aclId] = only(template, 'AWS::WAFv2::WebACL');
      const wafLogGroups = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([, group]) => logGroupName(group).startsWith(WAF_LOG_GROUP_PREFIX));
      expect(wafLogGroups).toHaveLength(1);
      const [[logGroupId, logGroup]] = wafLogGroups;
      const [, logging] = only(template, 'AWS::WAFv2::LoggingConfiguration');
      expect({ where, arn: logging.Properties.ResourceArn }).toEqual({ where, arn: { 'Fn::GetAtt': [aclId, 'Arn'] } });
      expect(logGroup.Properties.RetentionInDays).toBe(LOG_RETENTION as number);
      expect(LOG_RETENTION).toBe(RetentionDays.ONE_MONTH);
      const [keyId, key] = only(template, 'AWS::KMS::Key');
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      // the log group's ARN, without the ":*" WAF refuses
      const [destination] = logging.Properties.LogDestinationConfigs;
      expect(JSON.stringify(destination)).toContain(`{"Ref":"${logGroupId}"}`);
      expect(JSON.stringify(destination)).not.toContain(':*');
      expect(JSON.stringify(destination)).toContain(':log-group:');
    }
  });

  it("names each web ACL's log group after its stack and anew for each stack created, so a stage deployed again after a teardown finds no retained group of the same name", () => {
    for (const [where, template] of both()) {
      const [[, group]] = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([, g]) => logGroupName(g).startsWith(WAF_LOG_GROUP_PREFIX));
      const [separator, [fixed, stackId, ...rest]] = group.Properties.LogGroupName['Fn::Join'];
      // (the web ACL's name starts with its stack's)
      expect({ where, separator, fixed, rest }).toEqual({ where, separator: '', fixed: `${WAF_LOG_GROUP_PREFIX}${webAclOf(template).Name}-`, rest: [] });
      // the last part of arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>
      expect(stackId).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] });
      // CloudWatch Logs: at most 512 characters, letters, digits and _-/.#
      const longest = `${fixed}${'0'.repeat(36)}`;
      expect(longest.length).toBeLessThanOrEqual(512);
      expect(longest).toMatch(/^[\w\-/.#]+$/);
    }
  });

  it('keeps credentials, cookies and query strings out of the logs, and the secret CloudFront sends the API', () => {
    const redacted = (template: Template) => only(template, 'AWS::WAFv2::LoggingConfiguration')[1].Properties.RedactedFields;
    expect(redacted(edge)).toEqual([{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }, { QueryString: {} }]);
    expect(redacted(regional)).toEqual([{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }, { SingleHeader: { Name: FORWARDED.headerName } }, { QueryString: {} }]);
  });

  it('keeps only what a rule blocked or counted: the path and the address of every citizen who was let through are not logged', () => {
    for (const [, template] of both()) {
      expect(only(template, 'AWS::WAFv2::LoggingConfiguration')[1].Properties.LoggingFilter).toEqual({
        DefaultBehavior: 'DROP',
        Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT'].map((action) => ({ ActionCondition: { Action: action } })) }],
      });
    }
  });

  it("lets CloudWatch Logs in us-east-1 use the edge stack's key for this account's log groups only", () => {
    const [, key] = only(edge, 'AWS::KMS::Key');
    const statements = key.Properties.KeyPolicy.Statement as Json[];
    const logs = statements.find((statement) => JSON.stringify(statement.Principal).includes('logs.us-east-1.amazonaws.com'));
    expect(logs.Action).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:GenerateDataKey*']));
    const condition = JSON.stringify(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']);
    expect(condition).toContain('arn:');
    expect(condition).toContain(':logs:us-east-1:111111111111:log-group:*');
  });

  it('keeps the edge logs and their key when the stage keeps its data, and lets them go with a dev stage', () => {
    expect(only(edge, 'AWS::KMS::Key')[1].DeletionPolicy).toBe('Retain');
    expect(only(edge, 'AWS::Logs::LogGroup')[1].DeletionPolicy).toBe('Retain');
    const dev = synthesise({ keepsData: false }).edge;
    expect(only(dev, 'AWS::KMS::Key')[1]).toMatchObject({ DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    expect(only(dev, 'AWS::Logs::LogGroup')[1].DeletionPolicy).toBe('Delete');
  }, 120_000);
});

describe('web ACL metrics', () => {
  it('names each web ACL after its stack, and counts it under the same name, so two stages in one account count apart', () => {
    for (const [where, template, stackName] of [['CloudFront', edge, 'Edge'], ['regional', regional, 'Regional']] as const) {
      const acl = webAclOf(template);
      expect({ where, name: acl.Name, metricName: acl.VisibilityConfig.MetricName }).toEqual({ where, name: expect.stringMatching(new RegExp(`^${stackName}-\\w+$`)), metricName: acl.Name });
    }
  });

  it("gives monitoring the regional web ACL's name, region and the metric name of its lookup rate rule", () => {
    const acl = webAclOf(regional);
    expect(metrics).toEqual({ webAclName: acl.Name, region: 'eu-west-2', lookupRule: PUBLIC_LOOKUP_LIMIT.name });
    const ruleMetric = (name: string) => (acl.Rules as Json[]).find((rule) => rule.Name === name)?.VisibilityConfig.MetricName;
    expect(ruleMetric(PUBLIC_LOOKUP_LIMIT.name)).toEqual(metrics.lookupRule);
  });
});

describe('API Gateway', () => {
  it("names the REST API after the deployment's stage, as API Gateway's metrics name it", () => {
    expect(only(regional, 'AWS::ApiGateway::RestApi')[1].Properties.Name).toBe('journey-tracker-test');
  });

  const methods = (): Json[] => Object.values(regional.findResources('AWS::ApiGateway::Method'));

  it('validates every method: its path parameters are required', () => {
    const [validatorId, validator] = only(regional, 'AWS::ApiGateway::RequestValidator');
    expect(validator.Properties).toMatchObject({ ValidateRequestParameters: true, ValidateRequestBody: true });
    expect(methods()).toHaveLength(HTTP_ROUTES.length);
    for (const method of methods()) expect(method.Properties.RequestValidatorId).toEqual({ Ref: validatorId });
    // no body models: the handlers' own schemas answer with a message per field (docs/decisions.md)
    expect(methods().filter((method) => method.Properties.RequestModels)).toEqual([]);
    const pathParameters = methods().flatMap((method) => Object.entries(method.Properties.RequestParameters ?? {}));
    expect(pathParameters.length).toBeGreaterThan(10);
    for (const [name, required] of pathParameters) expect([name, required]).toEqual([expect.stringMatching(/^method\.request\.path\.\w+$/), true]);
    expect(pathParameters.map(([name]) => name)).toEqual(expect.arrayContaining(['method.request.path.reference', 'method.request.path.proxy']));
  });

  it("logs API Gateway's own errors, never requests' data, to a log group of ours made before the stage", () => {
    const [, stage] = only(regional, 'AWS::ApiGateway::Stage');
    expect((stage.Properties.MethodSettings as Json[]).find((s) => s.ResourcePath === '/*')).toMatchObject({ HttpMethod: '*', LoggingLevel: 'ERROR', DataTraceEnabled: false });
    const [[logsId, logs]] = Object.entries(regional.findResources('AWS::Logs::LogGroup')).filter(([, group]) => JSON.stringify(group.Properties.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'));
    expect(logs.Properties.RetentionInDays).toBe(LOG_RETENTION as number);
    expect(stage.DependsOn).toContain(logsId);
  });

  it.each(['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS'])("answers the validator's %s in the JSON error shape, with a message a person can act on", (type) => {
    const response = (Object.values(regional.findResources('AWS::ApiGateway::GatewayResponse')) as Json[]).find((r) => r.Properties.ResponseType === type);
    expect(JSON.parse(response.Properties.ResponseTemplates['application/json'])).toEqual({ error: { code: 'invalid-request', message: expect.stringMatching(/^(Send|Part of the address).+\.$/) } });
  });

  it('throttles every public route that takes a reference or a date of birth below the stage, and the date of birth checks lowest', () => {
    const [, stage] = only(regional, 'AWS::ApiGateway::Stage');
    const settings = stage.Properties.MethodSettings as Json[];
    const limitOf = (route: HttpRoute) => settings.find((s) => s.HttpMethod === route.method && s.ResourcePath === (route.path === '/' ? '/' : `/${route.path.replaceAll('/', '~1')}`))?.ThrottlingRateLimit;
    const stageLimit = settings.find((s) => s.ResourcePath === '/*').ThrottlingRateLimit;
    expect(DATE_OF_BIRTH_THROTTLE.throttlingRateLimit).toBeLessThan(PUBLIC_LOOKUP_THROTTLE.throttlingRateLimit);
    expect(PUBLIC_LOOKUP_THROTTLE.throttlingRateLimit).toBeLessThan(stageLimit);
    for (const route of LOOKUP_ROUTES) {
      const expected = DATE_OF_BIRTH_ROUTES.includes(route) ? DATE_OF_BIRTH_THROTTLE.throttlingRateLimit : PUBLIC_LOOKUP_THROTTLE.throttlingRateLimit;
      expect({ route: named(route), limit: limitOf(route) }).toEqual({ route: named(route), limit: expected });
    }
  });
});
