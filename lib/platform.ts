// One stage of the platform, as bin/app.ts deploys it and the tests synthesise it: five top-level
// stacks, one concern each, each with room to double under CloudFormation's 500 resources
// (docs/decisions.md, "Five stacks").
// - <name>-edge: the CloudFront web ACL (lib/edge-firewall.ts), in us-east-1, where CloudFront's
//   must be;
// - <name>-data: keys, tables, caseworker accounts, buckets (lib/data-stack.ts), in the region;
// - <name>-app: the milestone topic, the journeys, the scheduled jobs, the SMS delivery receipts
//   (lib/journeys-stack.ts), in the region;
// - <name>-web: the API and pages, the console's sign-in client, the site (CloudFront) and the
//   API's web ACL (lib/web-stack.ts), in the region;
// - <name>-monitoring: the ops alarm topic, the alarms and the dashboard (lib/monitoring-stack.ts).
// They refer to one another with weak references (CloudFormation's Fn::GetStackOutput: cdk.json's
// "@aws-cdk/core:defaultCrossStackReferences"), which lock nothing, in the order of the
// dependencies below, which `cdk deploy --all` follows.
// cdk-nag's AWS Solutions and Serverless checks run as validation plugins on every synthesised
// template: `cdk synth` fails on any finding that is not acknowledged, next to its resource, with
// a reason.
import { CfnRule, Fn, Tags, Validations, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { DataStack } from './data-stack';
import { deploymentFrom, type Deployment } from './deployment';
import { CLOUDFRONT_WAF_REGION, EdgeFirewallStack } from './edge-firewall';
import { JourneysStack } from './journeys-stack';
import { MonitoringStack } from './monitoring-stack';
import { WebStack } from './web-stack';

export interface PlatformStacks {
  readonly deployment: Deployment;
  readonly edge: EdgeFirewallStack;
  readonly data: DataStack;
  /** the journeys stack, named <name>-app */
  readonly app: JourneysStack;
  readonly web: WebStack;
  readonly monitoring: MonitoringStack;
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
  const journeys = new JourneysStack(app, stackNames.app, {
    description: `Journey tracker (${stage}): the milestone topic, journeys, scheduled jobs and SMS delivery receipts`,
    env: { account, region },
    terminationProtection,
    deployment,
    data,
    // e.g. -c feedSubscriberAccounts=111111111111,222222222222
    feedSubscriberAccounts: context('feedSubscriberAccounts')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => /^\d{12}$/.test(id)),
  });
  journeys.addStackDependency(data, 'the journeys use the data stack’s keys and case table');
  const web = new WebStack(app, stackNames.web, {
    description: `Journey tracker (${stage}): the API and pages, the caseworker console's sign-in, the site (CloudFront) and the API's web ACL`,
    env: { account, region },
    terminationProtection,
    deployment,
    data,
    journeys,
    edgeWebAclArn: edge.webAclArn,
    // e.g. -c siteDomain=permits.example.gov.uk -c siteCertificateArn=arn:aws:acm:us-east-1:...
    siteDomain: siteDomain ? { name: siteDomain, certificateArn: siteCertificateArn } : undefined,
  });
  web.addStackDependency(data, 'the API uses the data stack’s keys, tables, accounts and buckets');
  web.addStackDependency(journeys, 'the API starts and answers the journeys and publishes milestones');
  web.addStackDependency(edge, 'the site sits behind the edge stack’s web ACL');
  const monitoring = new MonitoringStack(app, stackNames.monitoring, {
    description: `Journey tracker (${stage}): alarms and the dashboard`,
    env: { account, region },
    terminationProtection,
    deployment,
    data,
    journeys,
    web,
  });
  for (const watched of [data, journeys, web]) monitoring.addStackDependency(watched, 'the alarms watch what the other stacks hold');

  const stacks = [edge, data, journeys, web, monitoring];
  refuseToDeploy(stacks, deployment);
  Tags.of(app).add('service', 'journey-tracker');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { deployment, edge, data, app: journeys, web, monitoring };
}

/**
 * What must be settled before the stage is deployed (lib/deployment.ts, `refusals`): synth still
 * works (offline, in CI) and says so, and every stack carries a CloudFormation rule that always
 * fails with the reason. `cdk deploy --all` deploys the stacks one at a time in their dependency
 * order, so whichever comes first stops the deploy before any stack changes.
 */
function refuseToDeploy(stacks: readonly Stack[], deployment: Deployment): void {
  for (const refusal of deployment.refusals) {
    // said once, on the stack a deploy reaches first
    Validations.of(stacks[0]).addWarning(refusal.id, `${refusal.message} CloudFormation will refuse to deploy any of ${deployment.stage}'s stacks until then.`);
    for (const stack of stacks) {
      new CfnRule(stack, refusal.id, { assertions: [{ assert: Fn.conditionEquals('this stage is not ready to deploy', 'it is'), assertDescription: refusal.message }] });
    }
  }
}
