// The whole platform in one stack: the stateful case table and caseworker accounts, and the
// replaceable parts around them (notifications, journeys, the API and pages, the site in front of
// them, monitoring). Only the CloudFront web ACL lives elsewhere, in us-east-1 (lib/edge-firewall.ts).
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { Api } from './api';
import { Caseworkers } from './caseworkers';
import { CaseData } from './data';
import { Journeys } from './journeys';
import { Monitoring } from './monitoring';
import { Notifications } from './notifications';
import { ScheduledJobs } from './reminders';
import { Firewall } from './firewall';
import type { JourneyTrackerStackProps } from './types';
import { Web } from './web';
import { buildAssets } from '../web/build';

export class JourneyTrackerStack extends Stack {
  constructor(scope: Construct, id: string, props: JourneyTrackerStackProps) {
    super(scope, id, props);
    const { table } = new CaseData(this, 'Data');
    const caseworkers = new Caseworkers(this, 'Caseworkers');
    const notifications = new Notifications(this, 'Notifications', { table, feedSubscriberAccounts: props.feedSubscriberAccounts });
    const resources = { table, milestones: notifications.topic };
    const journeys = new Journeys(this, 'Journeys', { resources });
    const scheduled = new ScheduledJobs(this, 'Reminders', { resources });
    // Built while the app is synthesised; the pages are told the fingerprinted names.
    const assets = buildAssets();
    const api = new Api(this, 'Api', { resources: { ...resources, stateMachines: journeys.stateMachines, assetPaths: assets.paths }, caseworkerPool: caseworkers.userPool });
    const web = new Web(this, 'Web', {
      api: api.restApi,
      assets,
      webAclArn: props.edgeWebAclArn,
      domain: props.siteDomain && { name: props.siteDomain.name, certificate: Certificate.fromCertificateArn(this, 'SiteCertificate', props.siteDomain.certificateArn) },
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
    new CfnOutput(this, 'UserPoolClientId', { value: caseworkers.client.userPoolClientId, description: 'App client for caseworker sign-in' });
    new CfnOutput(this, 'MilestoneTopicArn', { value: notifications.topic.topicArn, description: 'Other agencies subscribe here, with a filter policy on journey, service or milestone' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.alarmTopic.topicArn, description: 'Subscribe ops to the alarms here' });
  }
}
