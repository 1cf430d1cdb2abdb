// One stage of the platform, as bin/app.ts deploys it and the tests synthesise it: three stacks.
// - <name>-data: keys, tables, caseworker accounts, buckets (lib/data-stack.ts), in the region;
// - <name>-app: everything that runs (lib/journey-tracker-stack.ts), in the region;
// - <name>-edge: the CloudFront web ACL (lib/edge-firewall.ts), in us-east-1, where CloudFront's
//   must be.
// cdk-nag's AWS Solutions and Serverless checks run as validation plugins on the synthesised
// templates: `cdk synth` fails on any finding that is not acknowledged, next to its resource,
// with a reason.
import { CfnRule, Fn, Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { DataStack } from './data-stack';
import { deploymentFrom, type Deployment } from './deployment';
import { CLOUDFRONT_WAF_REGION, EdgeFirewallStack } from './edge-firewall';
import { JourneyTrackerStack } from './journey-tracker-stack';

export interface PlatformStacks {
  readonly deployment: Deployment;
  readonly data: DataStack;
  readonly app: JourneyTrackerStack;
  readonly edge: EdgeFirewallStack;
}

/** Builds the stage the app's context names, or throws an error that says what to change. */
export function definePlatform(app: App, environment: NodeJS.ProcessEnv = process.env): PlatformStacks {
  const deployment = deploymentFrom(app.node, environment);
  const context = (name: string): string => String(app.node.tryGetContext(name) ?? '').trim();
  const { account, region, stage, stackNames, keepsData } = deployment;
  // prod's stacks cannot be deleted by mistake: turning this off is a deliberate step (README, "Tear down")
  const terminationProtection = keepsData;

  const siteDomain = context('siteDomain');
  const siteCertificateArn = context('siteCertificateArn');
  if (Boolean(siteDomain) !== Boolean(siteCertificateArn)) throw new Error('Give both -c siteDomain=... and -c siteCertificateArn=... (an ACM certificate in us-east-1), or neither');

  const edge = new EdgeFirewallStack(app, stackNames.edge, {
    description: `Journey tracker (${stage}): the web ACL in front of its CloudFront distribution`,
    env: { account, region: CLOUDFRONT_WAF_REGION },
    terminationProtection,
    keepsData,
  });
  const data = new DataStack(app, stackNames.data, {
    description: `Journey tracker (${stage}): its data — keys, case table, sessions, caseworker accounts, buckets`,
    env: { account, region },
    terminationProtection,
    deployment,
    // e.g. -c signInDomainPrefix=permits-sign-in: <prefix>.auth.<region>.amazoncognito.com
    signInDomainPrefix: context('signInDomainPrefix') || undefined,
  });
  const platform = new JourneyTrackerStack(app, stackNames.app, {
    description: `Journey tracker (${stage}): journeys, API, pages, notifications, monitoring`,
    env: { account, region },
    terminationProtection,
    deployment,
    data,
    edgeWebAclArn: edge.webAclArn,
    // e.g. -c siteDomain=permits.example.gov.uk -c siteCertificateArn=arn:aws:acm:us-east-1:...
    siteDomain: siteDomain ? { name: siteDomain, certificateArn: siteCertificateArn } : undefined,
    // e.g. -c feedSubscriberAccounts=111111111111,222222222222
    feedSubscriberAccounts: context('feedSubscriberAccounts')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => /^\d{12}$/.test(id)),
  });
  platform.addStackDependency(data, 'the app uses the data stack’s keys, tables, accounts and buckets');

  if (keepsData && !deployment.alarmEmail) {
    // Synth still works (offline, in CI), and says so; a deploy stops before it changes anything.
    const missing = `No one is subscribed to ${stage}'s alarms: set "${stage}AlarmEmail" in cdk.json (README, "Deploy to AWS").`;
    Validations.of(platform).addWarning('no-alarm-subscriber', `${missing} CloudFormation will refuse to deploy ${stackNames.app} until then.`);
    new CfnRule(platform, 'AlarmsReachSomeone', { assertions: [{ assert: Fn.conditionEquals('nobody is subscribed to the alarms', 'someone is'), assertDescription: missing }] });
  }
  Tags.of(app).add('service', 'journey-tracker');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { deployment, data, app: platform, edge };
}
