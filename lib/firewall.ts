// AWS WAF in front of the platform. Two web ACLs carry the same rules: the CloudFront one
// (lib/edge-firewall.ts) in front of everything the site serves, and this regional one on the API
// Gateway stage, for calls to the API's own URL. In each, first the rate limit per client IP
// (lambdas/http/rate-limits.ts, which the local server enforces too: every public route that takes
// a reference or a date of birth; over it, a 429 page in the citizen's language at a page's
// address, JSON elsewhere), then AWS's managed rule groups (addresses known for abuse, known bad inputs, the common rule set). Each
// logs to CloudWatch Logs, encrypted with a customer-managed key: only the requests WAF blocked
// or counted, without credentials, cookies or query strings (docs/decisions.md, "WAF and its logs").
// Each web ACL is named after its stack, so dev's and prod's count in metrics of their own.
import { ArnFormat, Aws, Fn, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PAGE_PATH_PREFIXES, PUBLIC_LOOKUP_LIMIT, RATE_LIMITS, rateLimitedMessage, type PlatformRateLimit } from '../lambdas/http/rate-limits';
import { LANGUAGES, type Language } from '../lambdas/domain/shared/language';
import { SECURITY_HEADERS } from '../lambdas/web/headers';
import { rateLimitedPage } from '../lambdas/web/rate-limited-page';
import { buildAssets } from '../web/build';
import { LOG_RETENTION } from './platform-function';
import type { FirewallProps, WebAclMetrics } from './types';

type Statement = CfnWebACL.StatementProperty;

export class Firewall extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;
  /** for alarms on the rate rules (lib/monitoring.ts) */
  readonly metrics: WebAclMetrics;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    const forwardedBy = props.forwardedBy;
    ({ webAcl: this.webAcl, logGroup: this.logGroup } = platformWebAcl(this, {
      scope: 'REGIONAL',
      metricName: 'JourneyTrackerApi',
      // Here the path still has the stage in front: /v1/status/...
      pathPrefix: `/${props.stage.stageName}`,
      // Requests CloudFront forwards come from CloudFront's addresses, which many citizens share,
      // and CloudFront's web ACL has limited them per citizen already: not limited again here.
      notLimited: forwardedBy && any(forwardedBy.headerValues.map((value) => headerIs(forwardedBy.headerName, value))),
      logsKey: props.logsKey,
      // the secret that says CloudFront forwarded a request stays out of the logs
      redactHeaders: forwardedBy ? [forwardedBy.headerName] : [],
    }));
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: this.webAcl.attrArn });
    this.metrics = { webAclName: this.webAcl.name!, region: Stack.of(this).region, lookupRule: PUBLIC_LOOKUP_LIMIT.name };
  }
}

export interface PlatformWebAclOptions {
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
  /** after the stack's name, the web ACL's name and metric name */
  readonly metricName: string;
  /** what the web ACL sees in front of the paths the route table names (the API's stage); none */
  readonly pathPrefix?: string;
  /** requests that match this are not rate limited */
  readonly notLimited?: Statement;
  readonly logsKey: IKey;
  /** headers to keep out of the logs besides authorization and cookie */
  readonly redactHeaders?: readonly string[];
}

/** The platform's web ACL (as `scope`'s child "WebAcl") and its log group, the same rules in both places. */
export function platformWebAcl(scope: Construct, options: PlatformWebAclOptions): { webAcl: CfnWebACL; logGroup: LogGroup } {
  const rateRules = RATE_LIMITS.flatMap((limit) => limitRules(limit, options)).map((rule, priority): CfnWebACL.RuleProperty => ({ ...rule, priority }));
  // The same as its metric name: CloudWatch's WebACL dimension, which alarms need, is one of them.
  const name = `${Stack.of(scope).stackName}-${options.metricName}`;
  const webAcl = new CfnWebACL(scope, 'WebAcl', {
    name,
    scope: options.scope,
    defaultAction: { allow: {} },
    visibilityConfig: visibility(name),
    // rate rules first, so that they count every request, whatever a managed rule makes of it
    rules: [...rateRules, ...MANAGED_RULE_GROUPS.map((group, i) => managedRule(group, rateRules.length + i))],
    customResponseBodies: rateLimitedBodies(),
  });
  const logGroup = new LogGroup(scope, 'WebAclLogs', {
    // WAF logs only to log groups whose names start so. The last part of the stack's id (a UUID)
    // makes the name new for each stack created: a stack deployed again after a teardown would
    // otherwise find the group that prod retained in its way. Well within the 512 characters a name
    // may have (a stack's name has at most 128), all of them allowed (letters, digits, hyphens).
    logGroupName: `${WAF_LOG_GROUP_PREFIX}${name}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
    retention: LOG_RETENTION,
    encryptionKey: options.logsKey,
  });
  new CfnLoggingConfiguration(scope, 'WebAclLogging', {
    resourceArn: webAcl.attrArn,
    // the log group's ARN without the ":*" that LogGroup.logGroupArn ends with, which WAF refuses
    logDestinationConfigs: [Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    // WAF never logs a body. It cannot leave out the client's address, and the path (which can hold
    // a reference) is kept, to tell a false positive from an attack: so only the requests a rule
    // acted on are logged.
    redactedFields: [...['authorization', 'cookie', ...(options.redactHeaders ?? [])].map((name) => ({ singleHeader: { Name: name.toLowerCase() } })), { queryString: {} }],
    loggingFilter: ONLY_WHAT_WAF_ACTED_ON,
  });
  return { webAcl, logGroup };
}

export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/** Keep a log record only for a request a rule blocked or counted; drop the rest (CloudWatch metrics still count every request). */
const ONLY_WHAT_WAF_ACTED_ON = {
  DefaultBehavior: 'DROP',
  Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT'].map((action) => ({ ActionCondition: { Action: action } })) }],
};

interface ManagedRuleGroup {
  readonly name: string;
  /** rules of the group that only count (and are logged) rather than block */
  readonly countOnly?: readonly string[];
}

/** AWS's managed rule groups, cheapest first: addresses known for abuse, known bad inputs (Log4j, ...), the common rule set. */
export const MANAGED_RULE_GROUPS: readonly ManagedRuleGroup[] = [
  { name: 'AWSManagedRulesAmazonIpReputationList' },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet' },
  {
    name: 'AWSManagedRulesCommonRuleSet',
    // SizeRestrictions_BODY blocks every body over 8 KB. Ours can be bigger and right: an answer to
    // a request for information may be 5,000 characters, and a browser sends a form's text
    // percent-encoded (a curly apostrophe or a Welsh ŵ takes 6 to 9 bytes), so a long answer or
    // appeal is over 8 KB. The handlers refuse bodies over 16 KB and check every field's length
    // themselves. The rest of the set blocks: CrossSiteScripting_BODY and the like look for markup
    // and script, which a citizen's or a caseworker's plain words do not hold.
    countOnly: ['SizeRestrictions_BODY'],
  },
];

const managedRule = (group: ManagedRuleGroup, priority: number): CfnWebACL.RuleProperty => ({
  name: group.name,
  priority,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name: group.name,
      ruleActionOverrides: group.countOnly?.map((name) => ({ name, actionToUse: { count: {} } })),
    },
  },
  visibilityConfig: visibility(group.name),
});

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

const NO_TRANSFORMATION = [{ priority: 0, type: 'NONE' }];
// as API Gateway decodes a path before it finds the route: /%73tatus/... is /status/...
const URL_DECODED = [{ priority: 0, type: 'URL_DECODE' }];

const headerIs = (name: string, value: string): Statement => ({
  byteMatchStatement: { fieldToMatch: { singleHeader: { Name: name } }, positionalConstraint: 'EXACTLY', searchString: value, textTransformations: NO_TRANSFORMATION },
});

/** WAF's AND and OR need two statements or more. */
const all = (statements: Statement[]): Statement => (statements.length === 1 ? statements[0] : { andStatement: { statements } });
const any = (statements: Statement[]): Statement => (statements.length === 1 ? statements[0] : { orStatement: { statements } });

/** The label a rate rule puts on a request over its limit, for the rules that answer it. */
const overLimitLabel = (limit: PlatformRateLimit): string => `journey-tracker:over-limit:${limit.name}`;

const startsWith = (prefixes: readonly string[], options: Pick<PlatformWebAclOptions, 'pathPrefix'>): Statement =>
  any(
    prefixes.map((prefix) => ({
      byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: `${options.pathPrefix ?? ''}${prefix}`, textTransformations: URL_DECODED },
    })),
  );

const LOWER_CASE = [{ priority: 0, type: 'LOWERCASE' }];
const isWelsh = (field: CfnWebACL.FieldToMatchProperty, positionalConstraint = 'EXACTLY'): Statement => ({ byteMatchStatement: { fieldToMatch: field, positionalConstraint, searchString: 'cy', textTransformations: LOWER_CASE } });
const isEnglish = (field: CfnWebACL.FieldToMatchProperty): Statement => ({ byteMatchStatement: { fieldToMatch: field, positionalConstraint: 'EXACTLY', searchString: 'en', textTransformations: LOWER_CASE } });
const LANGUAGE_QUERY: CfnWebACL.FieldToMatchProperty = { singleQueryArgument: { Name: 'lang' } };
const LANGUAGE_COOKIE: CfnWebACL.FieldToMatchProperty = { cookies: { matchPattern: { includedCookies: ['lang'] }, matchScope: 'VALUE', oversizeHandling: 'NO_MATCH' } };
/** As the pages choose (lambdas/web/page-http.ts): ?lang=, else the remembered choice, else the browser's first language. */
const ASKS_FOR_WELSH: Statement = any([
  isWelsh(LANGUAGE_QUERY),
  isWelsh(LANGUAGE_COOKIE),
  all([isWelsh({ singleHeader: { Name: 'accept-language' } }, 'STARTS_WITH'), { notStatement: { statement: isEnglish(LANGUAGE_QUERY) } }, { notStatement: { statement: isEnglish(LANGUAGE_COOKIE) } }]),
]);

/**
 * A rate limit (lambdas/http/rate-limits.ts) as WAF rules. The rate-based rule counts and labels a
 * request over the limit; the rules after it answer it with a 429: at a page's address a page in
 * the citizen's language, at the API's JSON in the project's error shape, as the local server does.
 */
function limitRules(limit: PlatformRateLimit, options: Pick<PlatformWebAclOptions, 'pathPrefix' | 'notLimited'>): Omit<CfnWebACL.RuleProperty, 'priority'>[] {
  if (limit.pathPrefixes.length === 0) throw new Error(`The rate limit ${limit.name} covers no path`);
  const method: Statement[] = limit.method
    ? [{ byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: limit.method, textTransformations: NO_TRANSFORMATION } }]
    : [];
  const notExempt: Statement[] = options.notLimited ? [{ notStatement: { statement: options.notLimited } }] : [];
  const overLimit: Statement = { labelMatchStatement: { scope: 'LABEL', key: overLimitLabel(limit) } };
  const pages = PAGE_PATH_PREFIXES.filter((prefix) => limit.pathPrefixes.some((covered) => prefix.startsWith(covered) || covered.startsWith(prefix)));
  const answer = (name: string, body: string, language?: Language): Omit<CfnWebACL.RuleProperty, 'priority'> => ({
    name,
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: body,
          responseHeaders: [{ name: 'Retry-After', value: String(limit.windowSeconds) }, ...(language ? PAGE_HEADERS(language) : [])],
        },
      },
    },
    statement: overLimit,
    visibilityConfig: visibility(name),
  });
  return [
    {
      name: limit.name,
      action: { count: {} },
      ruleLabels: [{ name: overLimitLabel(limit) }],
      statement: {
        rateBasedStatement: {
          limit: limit.requests,
          evaluationWindowSec: limit.windowSeconds,
          aggregateKeyType: 'IP',
          scopeDownStatement: all([startsWith(limit.pathPrefixes, options), ...method, ...notExempt]),
        },
      },
      visibilityConfig: visibility(limit.name),
    },
    ...(pages.length > 0
      ? [
          { ...answer(`${limit.name}WelshPage`, `${limit.name}-cy`, 'cy'), statement: all([overLimit, startsWith(pages, options), ASKS_FOR_WELSH]) },
          { ...answer(`${limit.name}Page`, `${limit.name}-en`, 'en'), statement: all([overLimit, startsWith(pages, options)]) },
        ]
      : []),
    answer(`${limit.name}Json`, limit.name),
  ];
}

/** The headers a page carries (lambdas/web/headers.ts), besides its type, which WAF sets from the body's. */
const PAGE_HEADERS = (language: Language): CfnWebACL.CustomHTTPHeaderProperty[] => [
  { name: 'Content-Language', value: language },
  { name: 'Cache-Control', value: 'no-store' },
  ...Object.entries(SECURITY_HEADERS).map(([name, value]) => ({ name, value })),
];

/** What a client over a limit reads, as the local server says it (local/api-server.ts): JSON, or a page in English or Welsh. */
function rateLimitedBodies(): Record<string, CfnWebACL.CustomResponseBodyProperty> {
  const stylesheet = buildAssets().paths['styles.css'];
  return Object.fromEntries(
    RATE_LIMITS.flatMap((limit) => [
      [limit.name, { contentType: 'APPLICATION_JSON', content: JSON.stringify({ error: { code: 'rate-limited', message: rateLimitedMessage(limit, limit.windowSeconds) } }) }],
      ...LANGUAGES.map((language) => [`${limit.name}-${language}`, { contentType: 'TEXT_HTML', content: rateLimitedPage(language, Math.ceil(limit.windowSeconds / 60), stylesheet) }]),
    ]),
  );
}
