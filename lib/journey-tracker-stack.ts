// The whole platform in one stack: the stateful case table and caseworker accounts, and the
// replaceable parts around them (notifications, journeys, API, monitoring).
import { CfnOutput, Stack } from 'aws-cdk-lib';
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

export class JourneyTrackerStack extends Stack {
  constructor(scope: Construct, id: string, props: JourneyTrackerStackProps = {}) {
    super(scope, id, props);
    const { table } = new CaseData(this, 'Data');
    const caseworkers = new Caseworkers(this, 'Caseworkers');
    const notifications = new Notifications(this, 'Notifications', { table, feedSubscriberAccounts: props.feedSubscriberAccounts });
    const resources = { table, milestones: notifications.topic };
    const journeys = new Journeys(this, 'Journeys', { resources });
    const scheduled = new ScheduledJobs(this, 'Reminders', { resources });
    const api = new Api(this, 'Api', { resources: { ...resources, stateMachines: journeys.stateMachines }, caseworkerPool: caseworkers.userPool });
    new Firewall(this, 'Firewall', { stage: api.restApi.deploymentStage });
    const monitoring = new Monitoring(this, 'Monitoring', {
      api: api.restApi,
      stateMachines: journeys.stateMachines,
      // every function of the registry, so none is left without an error alarm
      functions: [...api.functions, ...journeys.steps, ...notifications.subscribers, ...scheduled.jobs],
      deadLetterQueues: [...notifications.deadLetterQueues, scheduled.deadLetterQueue],
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.restApi.url, description: 'Base URL of the API, e.g. <ApiUrl>status/APP-...' });
    new CfnOutput(this, 'UserPoolId', { value: caseworkers.userPool.userPoolId, description: 'Caseworker accounts: add people with admin-create-user and a group' });
    new CfnOutput(this, 'UserPoolClientId', { value: caseworkers.client.userPoolClientId, description: 'App client for caseworker sign-in' });
    new CfnOutput(this, 'MilestoneTopicArn', { value: notifications.topic.topicArn, description: 'Other agencies subscribe here, with a filter policy on journey, service or milestone' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.alarmTopic.topicArn, description: 'Subscribe ops to the alarms here' });
  }
}
