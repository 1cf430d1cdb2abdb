// What ops watch: alarms on what needs a person (a case on hold, a failed or timed-out journey,
// server errors, notifications that could not be sent), sent to the ops topic, and one
// dashboard with the API, the journeys, the cases and the SMS.
import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  Alarm,
  Stats,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Journey } from '../lambdas/domain/reference';
import { functionId } from '../lambdas/routes';
import { METRIC, METRICS_NAMESPACE, METRIC_SERVICES } from '../lambdas/domain/metrics';
import type { MonitoringProps } from './types';

const PERIOD = Duration.minutes(5);

const custom = (metricName: string, service: keyof typeof METRIC_SERVICES): Metric =>
  new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: METRIC_SERVICES[service] }, statistic: Stats.SUM, period: PERIOD });

export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;
  private readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'OpsAlarms', { displayName: 'Journey tracker alarms', enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    const casesOnHold = custom(METRIC.casesOnHold, 'journeys');
    this.alarm('CasesOnHold', casesOnHold, 1, 'A case is on hold because a journey step kept failing. Look at the on-hold queue.');

    const journeys = Object.entries(props.stateMachines) as [Journey, NonNullable<MonitoringProps['stateMachines'][Journey]>][];
    for (const [journey, stateMachine] of journeys) {
      const name = functionId(journey);
      this.alarm(`${name}ExecutionsFailed`, stateMachine.metricFailed({ period: PERIOD }), 1, `An execution of the ${journey} journey failed. Its case is on hold, or was never put on hold: check the execution.`);
      this.alarm(`${name}ExecutionsTimedOut`, stateMachine.metricTimedOut({ period: PERIOD }), 1, `An execution of the ${journey} journey ran past its overall timeout. Find the case and move it on by hand.`);
    }

    this.alarm('ApiServerErrors', props.api.metricServerError({ period: PERIOD, statistic: Stats.SUM }), 1, 'The API answered with a server error. Citizens or caseworkers saw "something went wrong".');
    // One failure is retried and, if it keeps failing, alarms through the queue below; several
    // at once mean something systemic, such as the account's SMS spending limit.
    this.alarm('NotifierErrors', props.notifier.metricErrors({ period: PERIOD }), 5, 'The SMS notifier keeps failing. Citizens are not getting texts.');
    props.deadLetterQueues.forEach((queue) => {
      this.alarm(
        `${queue.node.id}Visible`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: Stats.MAXIMUM }),
        1,
        `A notification could not be sent and is waiting in ${queue.node.id}. Fix the cause, then redrive it.`,
      );
    });

    const width = 8;
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API latency', width, left: [props.api.metricLatency({ statistic: Stats.p(50) }), props.api.metricLatency({ statistic: Stats.p(99) })] }),
      new GraphWidget({ title: 'API requests and errors', width, left: [props.api.metricCount()], right: [props.api.metricClientError(), props.api.metricServerError()] }),
      new AlarmStatusWidget({ title: 'Alarms', width, alarms: this.alarms }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Journeys',
        width,
        left: journeys.flatMap(([journey, stateMachine]) => [
          stateMachine.metricStarted({ label: `${journey} started` }),
          stateMachine.metricSucceeded({ label: `${journey} succeeded` }),
          stateMachine.metricFailed({ label: `${journey} failed` }),
        ]),
      }),
      new GraphWidget({ title: 'Cases on hold and escalated', width, left: [casesOnHold.with({ label: 'On hold' }), custom(METRIC.casesEscalated, 'journeys').with({ label: 'Escalated' })] }),
      new GraphWidget({
        title: 'SMS',
        width,
        left: [
          custom(METRIC.smsSent, 'notifier').with({ label: 'Sent' }),
          custom(METRIC.smsFailed, 'notifier').with({ label: 'Failed' }),
          custom(METRIC.smsOptedOut, 'notifier').with({ label: 'Opted out' }),
        ],
        right: [custom(METRIC.smsSegments, 'notifier').with({ label: 'Segments (billed)' })],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues',
        width,
        left: props.deadLetterQueues.map((queue) => queue.metricApproximateNumberOfMessagesVisible({ label: queue.node.id, statistic: Stats.MAXIMUM })),
      }),
    );
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing happened, which is not a problem.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}
