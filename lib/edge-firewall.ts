// The web ACL in front of the CloudFront distribution, and so in front of everything the site
// serves: the pages, the API and the static assets. A CloudFront web ACL can only be created in
// us-east-1, so it has a stack of its own there. The main stack reads its ARN with a weak
// reference, CloudFormation's Fn::GetStackOutput across regions: no custom resources, and neither
// stack locks the other (CDK's strong cross-region references need a Lambda on each side and
// block changing the value while it is read).
import { CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import { RATE_LIMITED_BODIES, publicLookupRateRule, startsWithAny, visibility } from './firewall';

/** Where AWS WAF keeps the web ACLs of CloudFront distributions. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

export class EdgeFirewallStack extends Stack {
  /** the web ACL's ARN, for the distribution's webAclId */
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    if (this.region !== CLOUDFRONT_WAF_REGION) throw new Error(`${id}: a CloudFront web ACL must be created in ${CLOUDFRONT_WAF_REGION}, not ${this.region}`);
    const webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('JourneyTrackerSite'),
      // CloudFront sees the path the citizen asked for: /status/..., /track/...
      rules: [publicLookupRateRule(startsWithAny(PUBLIC_LOOKUP_LIMIT.pathPrefixes))],
      customResponseBodies: RATE_LIMITED_BODIES,
    });
    CrossStackReferences.of(webAcl).produce(ReferenceStrength.WEAK);
    this.webAclArn = webAcl.attrArn;
  }
}
