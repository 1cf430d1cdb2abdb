// What ops watch: alarms on what needs a person (a case on hold, a failed or timed-out journey,
// any function's errors, server errors, milestones or notifications that could not be sent, a
// bank-holiday calendar that ran out), sent to the ops topic, and one dashboard with the API, the
// journeys, the cases and the SMS. Every function of the registry gets an error alarm.
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
import { METRIC, METRICS_DIMENSION, METRICS_NAMESPACE } from '../lambdas/domain/metrics';
import type { MonitoringProps } from './types';

const PERIOD = Duration.minutes(5);

const custom = (metricName: string): Metric => new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { ...METRICS_DIMENSION }, statistic: Stats.SUM, period: PERIOD });

/** Errors before a function's alarm: subscribers are retried by their asynchronous invocation, and alarm through their dead-letter queue first. */
const ERRORS_BEFORE_ALARM = { route: 1, page: 1, step: 1, schedule: 1, milestones: 5 } as const;

export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;
  private readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'OpsAlarms', { displayName: 'Journey tracker alarms', enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    const casesOnHold = custom(METRIC.casesOnHold);
    this.alarm('CasesOnHold', casesOnHold, 1, 'A case is on hold because a journey step kept failing. Look at the on-hold queue.');
    this.alarm('MilestonesNotPublished', custom(METRIC.milestonesNotPublished), 1, 'A milestone could not be published to the milestone topic: the citizen was not texted and the feed missed it. Check the topic and the logs (message "milestone publish failed").');
    this.alarm('BankHolidaysMissing', custom(METRIC.bankHolidaysMissing), 1, 'A service-standard date was counted past the end of the bank-holiday calendar. Add next year\'s bank holidays to catalogue/bank-holidays.json and deploy.');

    for (const fn of props.functions) {
      const { name, trigger, description } = fn.registered;
      this.alarm(`${name}Errors`, fn.metricErrors({ period: PERIOD, statistic: Stats.SUM }), ERRORS_BEFORE_ALARM[trigger], `${name} is failing (${description}). Look at its log group.`);
    }

    const journeys = Object.entries(props.stateMachines) as [Journey, NonNullable<MonitoringProps['stateMachines'][Journey]>][];
    for (const [journey, stateMachine] of journeys) {
      const name = journey[0].toUpperCase() + journey.slice(1);
      this.alarm(`${name}ExecutionsFailed`, stateMachine.metricFailed({ period: PERIOD }), 1, `An execution of the ${journey} journey failed. Its case is on hold, or was never put on hold: check the execution.`);
      this.alarm(`${name}ExecutionsTimedOut`, stateMachine.metricTimedOut({ period: PERIOD }), 1, `An execution of the ${journey} journey ran past its overall timeout. Find the case and move it on by hand.`);
    }

    this.alarm('ApiServerErrors', props.api.metricServerError({ period: PERIOD, statistic: Stats.SUM }), 1, 'The API answered with a server error. Citizens or caseworkers saw "something went wrong".');
    props.deadLetterQueues.forEach((queue) => {
      this.alarm(
        `${queue.node.id}Visible`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: Stats.MAXIMUM }),
        1,
        `Something could not be delivered and is waiting in ${queue.node.id}. Fix the cause, then redrive it.`,
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
      new GraphWidget({ title: 'Cases on hold and escalated', width, left: [casesOnHold.with({ label: 'On hold' }), custom(METRIC.casesEscalated).with({ label: 'Escalated' })] }),
      new GraphWidget({
        title: 'SMS',
        width,
        left: [
          custom(METRIC.smsSent).with({ label: 'Sent' }),
          custom(METRIC.smsFailed).with({ label: 'Failed' }),
          custom(METRIC.smsOptedOut).with({ label: 'Opted out' }),
        ],
        right: [custom(METRIC.smsSegments).with({ label: 'Segments (billed)' })],
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
