// The web ACL in front of the CloudFront distribution, and so in front of everything the site
// serves: the pages, the API and the static assets. A CloudFront web ACL can only be created in
// us-east-1, so it has a stack of its own there. The app stack reads its ARN with a weak
// reference, CloudFormation's Fn::GetStackOutput across regions: no custom resources, and neither
// stack locks the other (CDK's strong cross-region references need a Lambda on each side and
// block changing the value while it is read).
//
// Its logs stay in us-east-1 too, outside the agency's region: so they keep only the requests the
// web ACL blocked or counted, under a key of this stack's own (a key cannot be used across regions).
import { Aspects, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { platformWebAcl } from './firewall';
import { EncryptLogGroups, logsMayUse, rotatedKey } from './keys';

export interface EdgeFirewallStackProps extends StackProps {
  /** keep the logs and their key when the stack goes (prod); they go with it when false (dev). Kept when not said. */
  readonly keepsData?: boolean;
}

/** Where AWS WAF keeps the web ACLs of CloudFront distributions. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

export class EdgeFirewallStack extends Stack {
  /** the web ACL's ARN, for the distribution's webAclId */
  readonly webAclArn: string;
  /** where the web ACL logs, and the key that encrypts it */
  readonly logGroup: LogGroup;
  readonly logsKey: Key;

  constructor(scope: Construct, id: string, props: EdgeFirewallStackProps) {
    super(scope, id, props);
    if (this.region !== CLOUDFRONT_WAF_REGION) throw new Error(`${id}: a CloudFront web ACL must be created in ${CLOUDFRONT_WAF_REGION}, not ${this.region}`);
    const keepsData = props.keepsData ?? true;
    this.logsKey = rotatedKey(this, 'LogsKey', { description: "Journey tracker: the CloudFront web ACL's logs", keepsData });
    this.logsKey.addToResourcePolicy(logsMayUse(this));
    // CloudFront sees the path the citizen asked for: /status/..., /track/...
    const { webAcl, logGroup } = platformWebAcl(this, { scope: 'CLOUDFRONT', metricName: 'JourneyTrackerSite', logsKey: this.logsKey });
    // its log group kept or not as the stage says, as the other stacks' are
    Aspects.of(this).add(new EncryptLogGroups(this.logsKey, { keepsData }));
    this.logGroup = logGroup;
    CrossStackReferences.of(webAcl).produce(ReferenceStrength.WEAK);
    this.webAclArn = webAcl.attrArn;
  }
}
