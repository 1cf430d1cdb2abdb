// AWS WAF in front of the API: a rate-based rule per client IP on public status lookups, with
// the same numbers the local server enforces, so references cannot be guessed by brute force.
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';

export interface FirewallProps {
  readonly stage: Stage;
}

export class Firewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('JourneyTrackerApi'),
      rules: [
        {
          name: 'PublicLookupRate',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'rateLimited',
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: PUBLIC_LOOKUP_LIMIT.requests,
              evaluationWindowSec: PUBLIC_LOOKUP_LIMIT.windowSeconds,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'CONTAINS',
                  searchString: PUBLIC_LOOKUP_LIMIT.pathPrefix,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('PublicLookupRate'),
        },
      ],
      customResponseBodies: {
        rateLimited: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ error: { code: 'rate-limited', message: 'Too many status checks from your connection. Try again in a few minutes.' } }),
        },
      },
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
