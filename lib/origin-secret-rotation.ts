// The secret CloudFront sends the API (lib/web.ts), rotated by Secrets Manager every month with
// the registry's rotation function (lambdas/rotation/origin-secret.ts): the API's web ACL accepts
// the old and the new value while the distribution changes over, and the old one only until
// every edge sends the new. The function may change that one secret, that one web ACL and that
// one distribution, and only Secrets Manager may invoke it, for that secret.
//
// The template still names the secret with CloudFormation's dynamic reference
// ({{resolve:secretsmanager:...}}, the AWSCURRENT value) in the distribution's header and the web
// ACL's rule. CloudFormation resolves it only when it updates one of them for another reason: by
// then a finished rotation has made the new value AWSCURRENT, so it writes what is there already.
// A deploy that updates either while a rotation is under way writes the old value back: into the
// web ACL, and the rotation's next step puts the new one back beside it; into the distribution,
// and the rotation fails (and alarms) rather than drop the value CloudFront sends
// (docs/decisions.md, "Rotating the origin secret").
import { Duration } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnRotationSchedule } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ROTATIONS } from '../lambdas/functions';
import { PlatformFunction, type OriginSecretResources, type PlatformResources } from './platform-function';

export interface OriginSecretRotationProps {
  /** with the origin secret, the web ACL that trusts it and the distribution that sends it */
  readonly resources: PlatformResources & { readonly originSecret: OriginSecretResources };
}

export class OriginSecretRotation extends Construct {
  readonly functions: readonly PlatformFunction[];
  readonly schedule: CfnRotationSchedule;

  constructor(scope: Construct, id: string, props: OriginSecretRotationProps) {
    super(scope, id);
    const rotations = ROTATIONS.filter((spec) => spec.needs.includes('origin-secret:rotate'));
    if (rotations.length !== 1) throw new Error(`lambdas/functions.ts must have one rotation of the origin secret, not ${rotations.length}`);
    const [spec] = rotations;
    const { secret } = props.resources.originSecret;
    const fn = new PlatformFunction(this, spec, props.resources);
    // Secrets Manager, for this secret only (it names the secret as the source of its calls)
    fn.addPermission('InvokedBySecretsManager', { principal: new ServicePrincipal('secretsmanager.amazonaws.com'), sourceArn: secret.secretArn });
    this.schedule = new CfnRotationSchedule(this, 'Schedule', {
      secretId: secret.secretArn,
      rotationLambdaArn: fn.functionArn,
      rotationRules: { scheduleExpression: `rate(${Duration.days(spec.everyDays).toDays()} days)` },
      // not when the schedule is made: the first deploy resolved the value into both ends already
      rotateImmediatelyOnUpdate: false,
    });
    // Secrets Manager checks it may invoke the function when the schedule is made
    this.schedule.node.addDependency(fn);
    this.functions = [fn];
  }
}
