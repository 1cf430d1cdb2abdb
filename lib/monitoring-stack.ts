// The monitoring stack of a stage: the ops alarm topic, every alarm and the dashboard
// (lib/monitoring.ts), over what the journeys, web and data stacks hold. It only reads their
// names and ARNs, so it comes last and can be redeployed or torn down without touching them.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Monitoring } from './monitoring';
import type { DataStack } from './data-stack';
import type { Deployment } from './deployment';
import type { JourneysStack } from './journeys-stack';
import type { WebStack } from './web-stack';

export interface MonitoringStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly data: DataStack;
  readonly journeys: JourneysStack;
  readonly web: WebStack;
}

export class MonitoringStack extends Stack {
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { data, deployment, journeys, web } = props;
    this.monitoring = new Monitoring(this, 'Monitoring', {
      api: web.api.restApi,
      stateMachines: journeys.journeys.stateMachines,
      // every function of the registry, so none is left without an error alarm
      functions: [...journeys.functions, ...web.functions],
      deadLetterQueues: [...journeys.notifications.deadLetterQueues, journeys.scheduled.deadLetterQueue, journeys.receipts.deadLetterQueue],
      caseTable: data.cases.table,
      sessionTable: data.sessions.table,
      milestoneTopic: journeys.notifications.topic,
      masterKey: data.keys.messages,
      stage: deployment.stage,
      alarmEmail: deployment.alarmEmail,
      smsMonthlySpendLimitUsd: deployment.smsMonthlySpendLimitUsd,
      firewall: web.firewall.metrics,
    });

    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn, description: 'Subscribe ops to the alarms here' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${this.monitoring.dashboardName}`,
      description: "The stage's dashboard: the API, journeys, cases, SMS, queues, tables, functions and every alarm",
    });
  }
}
