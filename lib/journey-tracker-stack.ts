// The whole platform in one stack: the stateful case table and caseworker accounts, and the
// replaceable parts around them (notifications, journeys, the API and pages, the caseworker
// console's sessions and sign-in, the site in front of them, monitoring). Only the CloudFront web
// ACL lives elsewhere, in us-east-1 (lib/edge-firewall.ts).
//
// The order breaks what would be a circle: the console's sign-in needs the site's address and
// the console's app client, the client needs the site's address too, and the site (CloudFront)
// sends requests to the API, whose stage depends on every function. So: the REST API alone, then
// the site (whose origin names the REST API, not its stage), then the user pool's console client,
// and only then the functions and routes.
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { API_STAGE_NAME, Api } from './api';
import { Caseworkers } from './caseworkers';
import { CaseData } from './data';
import { Journeys } from './journeys';
import { Monitoring } from './monitoring';
import { Notifications } from './notifications';
import { ScheduledJobs } from './reminders';
import { Firewall } from './firewall';
import { ConsoleSessions } from './sessions';
import type { JourneyTrackerStackProps } from './types';
import { Web } from './web';
import { buildAssets } from '../web/build';
import { CONSOLE_PATHS } from '../lambdas/adapters/aws/sign-in-config';

export class JourneyTrackerStack extends Stack {
  constructor(scope: Construct, id: string, props: JourneyTrackerStackProps) {
    super(scope, id, props);
    const { table } = new CaseData(this, 'Data');
    const sessions = new ConsoleSessions(this, 'Sessions');
    const notifications = new Notifications(this, 'Notifications', { table, feedSubscriberAccounts: props.feedSubscriberAccounts });
    const resources = { table, milestones: notifications.topic };
    const journeys = new Journeys(this, 'Journeys', { resources });
    const scheduled = new ScheduledJobs(this, 'Reminders', { resources });
    // Built while the app is synthesised; the pages are told the fingerprinted names.
    const assets = buildAssets();
    const api = new Api(this, 'Api');
    const web = new Web(this, 'Web', {
      api: api.restApi,
      apiStageName: API_STAGE_NAME,
      assets,
      webAclArn: props.edgeWebAclArn,
      domain: props.siteDomain && { name: props.siteDomain.name, certificate: Certificate.fromCertificateArn(this, 'SiteCertificate', props.siteDomain.certificateArn) },
    });
    const caseworkers = new Caseworkers(this, 'Caseworkers', { siteUrl: web.siteUrl, signInDomainPrefix: props.signInDomainPrefix });
    api.addRoutes({
      resources: { ...resources, stateMachines: journeys.stateMachines, assetPaths: assets.paths, sessionTable: sessions.table, signIn: caseworkers.signIn },
      caseworkerPool: caseworkers.userPool,
    });
    new Firewall(this, 'Firewall', { stage: api.restApi.deploymentStage, forwardedBy: web.forwardedBy });
    const monitoring = new Monitoring(this, 'Monitoring', {
      api: api.restApi,
      stateMachines: journeys.stateMachines,
      // every function of the registry, so none is left without an error alarm
      functions: [...api.functions, ...journeys.steps, ...notifications.subscribers, ...scheduled.jobs],
      deadLetterQueues: [...notifications.deadLetterQueues, scheduled.deadLetterQueue],
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'SiteUrl', { value: web.url, description: 'The site: the citizen pages, and the API at the same paths, e.g. <SiteUrl>status/APP-...' });
    new CfnOutput(this, 'ApiUrl', { value: api.restApi.url, description: 'Base URL of the API, e.g. <ApiUrl>status/APP-...' });
    new CfnOutput(this, 'UserPoolId', { value: caseworkers.userPool.userPoolId, description: 'Caseworker accounts: add people with admin-create-user and a group' });
    new CfnOutput(this, 'UserPoolClientId', { value: caseworkers.apiClient.userPoolClientId, description: 'App client for the JSON caseworker API (SRP sign-in; its ID token is the Bearer token)' });
    new CfnOutput(this, 'CaseworkerSignInUrl', { value: `${web.siteUrl}${CONSOLE_PATHS.home}`, description: 'The caseworker console: caseworkers sign in here' });
    new CfnOutput(this, 'SignInDomain', { value: caseworkers.signInDomain.baseUrl(), description: "The user pool's hosted sign-in, where the console sends caseworkers to sign in" });
    new CfnOutput(this, 'MilestoneTopicArn', { value: notifications.topic.topicArn, description: 'Other agencies subscribe here, with a filter policy on journey, service or milestone' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.alarmTopic.topicArn, description: 'Subscribe ops to the alarms here' });
  }
}
