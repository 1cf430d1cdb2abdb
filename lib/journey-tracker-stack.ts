// The app stack of a stage: everything that runs, and nothing that holds data. Notifications,
// journeys, the API and pages, the console's sign-in client, the site in front of them, the
// firewall and monitoring. The data (keys, tables, caseworker accounts, buckets) is the data
// stack's (lib/data-stack.ts), so this stack can be redeployed or torn down without touching it.
// Only the CloudFront web ACL lives elsewhere, in us-east-1 (lib/edge-firewall.ts).
//
// The order breaks what would be a circle: the console's sign-in needs the site's address and
// the console's app client, the client needs the site's address too, and the site (CloudFront)
// sends requests to the API, whose stage depends on every function. So: the REST API alone, then
// the site (whose origin names the REST API, not its stage), then the user pool's console client,
// and only then the functions and routes.
import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { API_STAGE_NAME, Api } from './api';
import { ConsoleSignIn } from './caseworkers';
import { EncryptLogGroups } from './keys';
import { Journeys } from './journeys';
import { Monitoring } from './monitoring';
import { Notifications } from './notifications';
import { ScheduledJobs } from './reminders';
import { SmsReceipts } from './sms-receipts';
import { Firewall } from './firewall';
import { Web } from './web';
import { assetsBucketName } from './site-buckets';
import { buildAssets } from '../web/build';
import { CONSOLE_PATHS } from '../lambdas/adapters/aws/sign-in-config';
import type { DataStack } from './data-stack';
import type { Deployment } from './deployment';

export interface JourneyTrackerStackProps extends StackProps {
  readonly deployment: Deployment;
  /** the stage's stateful stack: keys, tables, caseworker accounts, buckets */
  readonly data: DataStack;
  /** the CloudFront web ACL's ARN, from the EdgeFirewallStack in us-east-1 (read across regions with Fn::GetStackOutput) */
  readonly edgeWebAclArn: string;
  /** the site's own domain name and certificate ARN (in us-east-1); CloudFront's own name when none */
  readonly siteDomain?: { readonly name: string; readonly certificateArn: string };
  /** AWS accounts of other agencies allowed to subscribe to the milestone feed */
  readonly feedSubscriberAccounts?: readonly string[];
}

export class JourneyTrackerStack extends Stack {
  constructor(scope: Construct, id: string, props: JourneyTrackerStackProps) {
    super(scope, id, props);
    const { data, deployment } = props;
    const { table } = data.cases;
    const { keys } = data;
    // every log group of this stack, on the logs key
    Aspects.of(this).add(new EncryptLogGroups(keys.logs, { keepsData: deployment.keepsData }));
    const notifications = new Notifications(this, 'Notifications', { table, key: keys.messages, stage: deployment.stage, feedSubscriberAccounts: props.feedSubscriberAccounts });
    const resources = { table, milestones: notifications.topic, stage: deployment.stage };
    const journeys = new Journeys(this, 'Journeys', { resources });
    // every scheduled job; still called "Reminders" (its first job's) because a new id would replace the deployed schedule, function and MissedRuns queue, with what waits in it
    const scheduled = new ScheduledJobs(this, 'Reminders', { resources, key: keys.messages });
    // whether each text reached the phone: SNS's delivery-status logs, read into the cases
    const receipts = new SmsReceipts(this, 'SmsReceipts', { resources, key: keys.messages, ownsDeliveryLogs: deployment.ownsSmsDeliveryReceipts });
    // Built while the app is synthesised; the pages are told the fingerprinted names.
    const assets = buildAssets();
    const api = new Api(this, 'Api', { stage: deployment.stage });
    const web = new Web(this, 'Web', {
      api: api.restApi,
      apiStageName: API_STAGE_NAME,
      assets,
      assetsBucketName: assetsBucketName(this, deployment.stage),
      accessLogs: data.buckets.accessLogs,
      webAclArn: props.edgeWebAclArn,
      domain: props.siteDomain && { name: props.siteDomain.name, certificate: Certificate.fromCertificateArn(this, 'SiteCertificate', props.siteDomain.certificateArn) },
    });
    const { userPool, signInDomain, apiClient } = data.caseworkers;
    const consoleSignIn = new ConsoleSignIn(this, 'ConsoleSignIn', { userPool, signInDomain, siteUrl: web.siteUrl });
    api.addRoutes({
      resources: { ...resources, stateMachines: journeys.stateMachines, assetPaths: assets.paths, sessionTable: data.sessions.table, signIn: consoleSignIn.signIn, publicConcurrency: deployment.publicConcurrency },
      caseworkerPool: userPool,
    });
    const firewall = new Firewall(this, 'Firewall', { stage: api.restApi.deploymentStage, forwardedBy: web.forwardedBy, logsKey: keys.logs });
    const monitoring = new Monitoring(this, 'Monitoring', {
      api: api.restApi,
      stateMachines: journeys.stateMachines,
      // every function of the registry, so none is left without an error alarm
      functions: [...api.functions, ...journeys.steps, ...notifications.subscribers, ...scheduled.jobs, ...receipts.functions],
      deadLetterQueues: [...notifications.deadLetterQueues, scheduled.deadLetterQueue, receipts.deadLetterQueue],
      caseTable: table,
      sessionTable: data.sessions.table,
      milestoneTopic: notifications.topic,
      masterKey: keys.messages,
      stage: deployment.stage,
      alarmEmail: deployment.alarmEmail,
      smsMonthlySpendLimitUsd: deployment.smsMonthlySpendLimitUsd,
      firewall: firewall.metrics,
    });

    new CfnOutput(this, 'SiteUrl', { value: web.url, description: 'The site: the citizen pages, and the API at the same paths, e.g. <SiteUrl>status/APP-...' });
    new CfnOutput(this, 'ApiUrl', { value: api.restApi.url, description: 'Base URL of the API, e.g. <ApiUrl>status/APP-...' });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId, description: 'Caseworker accounts: add people with admin-create-user and a group' });
    new CfnOutput(this, 'UserPoolClientId', { value: apiClient.userPoolClientId, description: 'App client for the JSON caseworker API (SRP sign-in; its ID token is the Bearer token)' });
    new CfnOutput(this, 'CaseworkerSignInUrl', { value: `${web.siteUrl}${CONSOLE_PATHS.home}`, description: 'The caseworker console: caseworkers sign in here' });
    new CfnOutput(this, 'SignInDomain', { value: signInDomain.baseUrl(), description: "The user pool's hosted sign-in, where the console sends caseworkers to sign in" });
    new CfnOutput(this, 'MilestoneTopicArn', { value: notifications.topic.topicArn, description: 'Other agencies subscribe here, with a filter policy on journey, service or milestone' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.alarmTopic.topicArn, description: 'Subscribe ops to the alarms here' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${monitoring.dashboardName}`,
      description: "The stage's dashboard: the API, journeys, cases, SMS, queues, tables, functions and every alarm",
    });
  }
}
