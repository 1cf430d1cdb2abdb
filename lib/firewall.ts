// AWS WAF: a rate-based rule per client IP on public status lookups (the JSON API and the status
// pages), with the same numbers the local server enforces, so references cannot be guessed by brute
// force. Two web ACLs apply it: the CloudFront one (lib/edge-firewall.ts) to everything the site
// serves, and this regional one on the API Gateway stage, for calls to the API's own URL.
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import type { FirewallProps } from './types';

type Statement = CfnWebACL.StatementProperty;

export class Firewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    // Here the path still has the stage in front: /v1/status/...
    const lookups = startsWithAny(PUBLIC_LOOKUP_LIMIT.pathPrefixes.map((prefix) => `/${props.stage.stageName}${prefix}`));
    const notForwarded: Statement | undefined = props.forwardedBy && {
      notStatement: { statement: { byteMatchStatement: { fieldToMatch: { singleHeader: { Name: props.forwardedBy.headerName } }, positionalConstraint: 'EXACTLY', searchString: props.forwardedBy.headerValue, textTransformations: NO_TRANSFORMATION } } },
    };
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('JourneyTrackerApi'),
      rules: [publicLookupRateRule(notForwarded ? { andStatement: { statements: [lookups, notForwarded] } } : lookups)],
      customResponseBodies: RATE_LIMITED_BODIES,
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}

export const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

const NO_TRANSFORMATION = [{ priority: 0, type: 'NONE' }];

/** The URI path starts with one of the prefixes (WAF's OR needs two statements or more). */
export function startsWithAny(prefixes: readonly string[]): Statement {
  const statements: Statement[] = prefixes.map((prefix) => ({
    byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: prefix, textTransformations: NO_TRANSFORMATION },
  }));
  if (statements.length === 0) throw new Error('PUBLIC_LOOKUP_LIMIT names no path prefixes');
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}

/** The public lookup limit (lambdas/http/rate-limits.ts) on the requests `scope` matches; over it, a 429. */
export const publicLookupRateRule = (scope: Statement): CfnWebACL.RuleProperty => ({
  name: 'PublicLookupRate',
  priority: 0,
  action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rateLimited' } } },
  statement: {
    rateBasedStatement: {
      limit: PUBLIC_LOOKUP_LIMIT.requests,
      evaluationWindowSec: PUBLIC_LOOKUP_LIMIT.windowSeconds,
      aggregateKeyType: 'IP',
      scopeDownStatement: scope,
    },
  },
  visibilityConfig: visibility('PublicLookupRate'),
});

export const RATE_LIMITED_BODIES: Record<string, CfnWebACL.CustomResponseBodyProperty> = {
  rateLimited: {
    contentType: 'APPLICATION_JSON',
    content: JSON.stringify({ error: { code: 'rate-limited', message: 'Too many status checks from your connection. Try again in a few minutes.' } }),
  },
};
