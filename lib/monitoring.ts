// What ops watch: alarms on whatever lets a citizen or a caseworker down (every function's errors
// and throttles, server errors and slow answers, journeys that fail, time out or are stopped,
// anything waiting in a dead-letter queue, DynamoDB throttling, texts that could not be sent, the
// account's SMS spend nearing its limit, service standards missed, a case on hold, a milestone not
// published, a bank-holiday calendar that ran out, the API's web ACL blocking someone who keeps
// guessing, a service's journey deciding fewer cases within its standard than it publishes as its
// target, a published figure short of a case), each sent to the ops topic when it starts and when
// it ends, and one dashboard per stage. Every function of the registry gets its two alarms. The API's metrics are its stage's
// (ApiName and Stage), so that dev and prod in one account count apart.
import { Aws, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Subscription, Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { requireService, serviceCodes, serviceStandard, type ServiceStandard } from '../lambdas/domain/services/catalogue';
import type { Journey } from '../lambdas/domain/shared/reference';
import { METRIC, METRICS_DIMENSION, METRICS_NAMESPACE, STAGE_DIMENSION, performanceDimensions } from '../lambdas/domain/shared/metrics';
import { FEW_CASES } from '../lambdas/domain/performance/performance';
import type { FunctionSpec } from '../lambdas/functions';
import { refuseWithoutTls } from './notifications';
import { acknowledge } from './acknowledge';
import type { MonitoringProps, WebAclMetrics } from './types';

const PERIOD = Duration.minutes(5);
/** Warned this far below the SMS spend limit: SNS stops texting, within minutes, once the limit is reached. */
export const SMS_SPEND_WARNING = 0.8;
/** CloudWatch's own limits: alarms in one alarm status widget, metrics in one graph. */
const ALARMS_PER_STATUS_WIDGET = 100;
const METRICS_PER_GRAPH = 500;

/** One of the platform's own metrics, as the stage's functions count it (lambdas/adapters/aws/metrics.ts): its service and its stage. */
const custom = (metricName: string, stage: string): Metric =>
  new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { ...METRICS_DIMENSION, [STAGE_DIMENSION]: stage }, statistic: Stats.SUM, period: PERIOD });

/**
 * The share of decisions within the service standard is judged a day at a time: the figure the
 * service publishes is over days and weeks, and a five-minute share of one or two decisions says
 * nothing. The dashboard graphs the same days over a month.
 */
const STANDARD_PERIOD = Duration.days(1);
const PERFORMANCE_GRAPH_RANGE = '-P30D';

/**
 * A per-decision metric of one service's journey (lambdas/domain/performance/performance-tally.ts), as the
 * stage's functions count it: the service and the stage, and the catalogue's service code and
 * the journey as well.
 */
/** A day with fewer decisions than this says too little to alarm on (as /performance marks figures from fewer than 10 cases). */
export const MIN_DECISIONS_JUDGED = FEW_CASES;

const decisions = (metricName: string, stage: string, { code, journey }: ServiceJourney, statistic: string): Metric =>
  new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { ...METRICS_DIMENSION, [STAGE_DIMENSION]: stage, ...performanceDimensions(code, journey) }, statistic, period: STANDARD_PERIOD });

/** A journey a service of the catalogue offers, with the standard it publishes for it. */
interface ServiceJourney {
  readonly code: string;
  readonly journey: Journey;
  readonly standard: ServiceStandard;
  /** for alarm ids and names: ParkingPermitApplication */
  readonly id: string;
}

const pascal = (words: string): string => words.split(/[^A-Za-z0-9]+/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');

/** Every journey of every service in the catalogue (lambdas/domain/services/catalogue.ts). */
function serviceJourneys(): ServiceJourney[] {
  return serviceCodes().flatMap((code) => {
    const service = requireService(code);
    return service.journeys.map((journey) => ({ code, journey, standard: serviceStandard(service, journey), id: `${pascal(code)}${pascal(journey)}` }));
  });
}

/**
 * Errors and throttles in five minutes before a function's alarm. A person waits on a route, a
 * page or a journey step; a subscriber's, a scheduled job's and the receipts reader's invocations
 * are asynchronous (SNS, EventBridge Scheduler, CloudWatch Logs), so Lambda retries them (a
 * throttled one for hours) and they alarm through their dead-letter queue when that fails too: a
 * few are expected.
 */
const ERRORS_BEFORE_ALARM = { route: 1, page: 1, step: 1, schedule: 1, milestones: 5, 'sms-receipts': 5, 'secret-rotation': 1 } as const satisfies Record<FunctionSpec['trigger'], number>;
const THROTTLES_BEFORE_ALARM = { route: 1, page: 1, step: 1, schedule: 5, milestones: 5, 'sms-receipts': 5, 'secret-rotation': 1 } as const satisfies Record<FunctionSpec['trigger'], number>;

/** What a failing function means for the people it serves, and what happens next, by what starts it. */
const WHEN_IT_FAILS: Record<FunctionSpec['trigger'], string> = {
  route: 'callers of the JSON API get a server error instead of an answer',
  page: 'citizens or caseworkers see the "something went wrong" page',
  step: 'journeys retry the step with backoff, then put the case on hold (the CasesOnHold alarm follows)',
  milestones: 'citizens are not texted at a milestone; each invocation is retried twice, then kept in the FailedNotifications queue',
  schedule: 'the scheduled job did not finish: what it moves on is late until its next run; a run that fails its retries is kept in the MissedRuns queue',
  'sms-receipts': "a text's delivery receipt was not recorded: until it is, whether the text reached the phone is unknown on the case and in the published figures (texts delivered); each batch of receipts is retried twice, then kept in the FailedReceipts queue",
  'secret-rotation':
    "a step of rotating the secret CloudFront sends the API failed, and the rotation with it: nobody is turned away (the API's web ACL keeps accepting the value CloudFront sends, and the new one if it got that far), but the secret is not rotated. The function's log says which step and why; the secret's rotation status is in Secrets Manager. Fix the cause and run the rotation again (aws secretsmanager rotate-secret --secret-id <the secret>), or it is tried again at the next scheduled rotation",
};

/**
 * The p99 latency alarm: the slowest 1% of requests over 3 seconds in each of three five-minute
 * periods in a row. A person waits on every request, and a page or status check that takes over
 * 3 s feels broken; a cold start (about a second) or one slow request moves a quiet period's p99
 * on its own, so one period is not enough, while 15 minutes of it is a slowdown to look into
 * (functions time out at 10 s, API Gateway at 29 s: by then the 5xx alarm has fired as well).
 */
const LATENCY = { thresholdMs: 3000, periods: 3 } as const;

/**
 * Requests the lookup rate rule blocked in five minutes before its alarm. WAF blocks a client (one
 * IP address) only once it is over its limit (lambdas/http/rate-limits.ts), and answers 429 with
 * when to try again. 300 in five minutes got through before the first block, and 100 more refused
 * is something that keeps going (scraping, guessing references, a broken integration), not a busy
 * advice centre. This is the API stage's web ACL, which sees calls to the API's own address only:
 * what comes through the site is CloudFront's web ACL's to block, in us-east-1, where its metrics
 * are too.
 */
export const BLOCKED_BEFORE_ALARM = { lookup: 100 } as const;

/**
 * Wrong dates of birth, across all cases, in five minutes before the guessing alarm. A citizen
 * mistypes one or two; each case pauses after 5 (lambdas/domain/citizens/identity.ts), so 25 is someone
 * trying dates on several cases at once, or staying just under each case's limit.
 */
export const WRONG_DATES_OF_BIRTH_BEFORE_ALARM = 25;

interface AlarmOptions {
  readonly threshold: number;
  /** what citizens or caseworkers experience, and where to look */
  readonly description: string;
  /** periods in a row that must all breach; 1 unless told */
  readonly periods?: number;
  /** strictly above the threshold rather than at or above it */
  readonly above?: boolean;
  /** strictly below the threshold: a share that falls short of a target */
  readonly below?: boolean;
  readonly missingData?: TreatMissingData;
}

export class Monitoring extends Construct {
  /** where every alarm goes, when it starts and when it ends: subscribe ops here */
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: readonly Alarm[];
  private readonly alarmList: Alarm[] = [];
  private readonly props: MonitoringProps;
  /** the REST API's deployment stage, whose metrics carry both the API's name and the stage's */
  private readonly apiStage: Stage;
  /** journey-tracker-<stage> */
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (!(props.smsMonthlySpendLimitUsd > 0)) throw new Error(`smsMonthlySpendLimitUsd must be the account's SMS spend limit in USD, above 0; got ${props.smsMonthlySpendLimitUsd}`);
    this.props = props;
    this.apiStage = props.api.deploymentStage;
    this.alarms = this.alarmList;
    this.dashboardName = `journey-tracker-${props.stage}`;
    this.alarmTopic = new Topic(this, 'OpsAlarms', { displayName: `Journey tracker alarms (${props.stage})`, masterKey: props.masterKey });
    refuseWithoutTls(this.alarmTopic);
    allowAlarmsToPublish(this.alarmTopic);
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
      const email = this.alarmTopic.node.children.find((child) => child instanceof Subscription)!;
      acknowledge(email, {
        'Serverless-SNSRedrivePolicy': 'The ops alarm email: an alarm that could not be emailed keeps its state and history in CloudWatch and on the dashboard, and a dead-letter queue for it could only alarm to this same topic.',
      });
    }

    this.functionAlarms();
    this.apiAlarms();
    this.firewallAlarms();
    const journeys = Object.entries(props.stateMachines) as [Journey, IStateMachine][];
    this.journeyAlarms(journeys);
    this.caseAlarms();
    const performance = serviceJourneys();
    this.performanceAlarms(performance);
    this.deliveryAlarms();
    const tables = this.tableAlarms();

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: this.dashboardName, defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(...this.alarmStatusWidgets());
    this.dashboard.addWidgets(...this.apiWidgets(), ...this.firewallWidgets(), ...this.journeyWidgets(journeys));
    this.dashboard.addWidgets(...this.performanceWidgets(performance));
    this.dashboard.addWidgets(...this.smsWidgets(), ...this.queueWidgets());
    this.dashboard.addWidgets(...this.tableWidgets(tables), ...this.functionWidgets());
  }

  private functionAlarms(): void {
    for (const fn of this.props.functions) {
      const { name, trigger, description } = fn.registered;
      const where = `Look at the logs of ${fn.functionName} and its Errors, Throttles and Duration on the dashboard.`;
      this.alarm(`${name}Errors`, fn.metricErrors({ period: PERIOD, statistic: Stats.SUM }), {
        threshold: ERRORS_BEFORE_ALARM[trigger],
        description: `${name} (${description}) is failing: ${WHEN_IT_FAILS[trigger]}. ${where}`,
      });
      this.alarm(`${name}Throttles`, fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM }), {
        threshold: THROTTLES_BEFORE_ALARM[trigger],
        description: `${name} (${description}) is being throttled: Lambda turned invocations away because its reserved concurrency (or the account's) was used up, so ${WHEN_IT_FAILS[trigger]}. ${where} Raise its reserved concurrency if the traffic is real.`,
      });
    }
  }

  private apiAlarms(): void {
    const api = this.apiStage;
    this.alarm('ApiServerErrors', api.metricServerError({ period: PERIOD, statistic: Stats.SUM }), {
      threshold: 1,
      description: 'The API answered with a server error (5xx): a citizen or a caseworker saw "something went wrong", or an application was not taken. API Gateway answers 5xx when a function fails, times out or is throttled: look at the functions\' alarms and the API\'s logs.',
    });
    this.alarm('ApiLatencyP99', api.metricLatency({ period: PERIOD, statistic: Stats.p(99) }), {
      threshold: LATENCY.thresholdMs,
      above: true,
      periods: LATENCY.periods,
      description: `The slowest 1% of requests have taken over ${LATENCY.thresholdMs / 1000} s for ${LATENCY.periods * 5} minutes: pages, status checks and decisions are slow for citizens and caseworkers. Look at the functions' Duration and Throttles and the DynamoDB throttles on the dashboard.`,
    });
  }

  private firewallAlarms(): void {
    const { firewall } = this.props;
    if (!firewall) return;
    const where = `Look at the web ACL ${firewall.webAclName}'s sampled requests and its log group (aws-waf-logs-...) for the addresses and paths.`;
    this.alarm('LookupsBlocked', overLimit(firewall, firewall.lookupRule), {
      threshold: BLOCKED_BEFORE_ALARM.lookup,
      description: `The API's web ACL refused ${BLOCKED_BEFORE_ALARM.lookup} or more lookups by reference or date of birth in 5 minutes from clients already over their limit: someone may be scraping or guessing references, or an integration is looping. ${where}`,
    });
  }

  private journeyAlarms(journeys: readonly [Journey, IStateMachine][]): void {
    for (const [journey, stateMachine] of journeys) {
      const name = journey[0].toUpperCase() + journey.slice(1);
      const look = `Find the execution in the Step Functions console (${journey} journey, ${this.props.stage}) and its case in the caseworker console.`;
      this.alarm(`${name}ExecutionsFailed`, stateMachine.metricFailed({ period: PERIOD, statistic: Stats.SUM }), {
        threshold: 1,
        description: `An execution of the ${journey} journey failed: its case may be stuck where the citizen last saw it, or on hold. ${look}`,
      });
      this.alarm(`${name}ExecutionsTimedOut`, stateMachine.metricTimedOut({ period: PERIOD, statistic: Stats.SUM }), {
        threshold: 1,
        description: `An execution of the ${journey} journey ran past its overall timeout: its case no longer moves on by itself and the citizen waits. ${look} Move the case on by hand.`,
      });
      this.alarm(`${name}ExecutionsAborted`, stateMachine.metricAborted({ period: PERIOD, statistic: Stats.SUM }), {
        threshold: 1,
        description: `An execution of the ${journey} journey was stopped (StopExecution): its case no longer moves on by itself and the citizen waits. ${look} Check in CloudTrail who stopped it, and move the case on by hand.`,
      });
    }
  }

  private caseAlarms(): void {
    this.alarm('CasesOnHold', custom(METRIC.casesOnHold, this.props.stage), { threshold: 1, description: 'A case was put on hold because a journey step kept failing: the citizen sees "on hold". Look at the on-hold queue in the caseworker console and the failing step\'s alarm.' });
    // METRIC.casesEscalated is counted when a decision wait times out: the case passed its
    // service standard without a decision and went to the senior-review queue (journey-steps.ts).
    this.alarm('ServiceStandardMissed', custom(METRIC.casesEscalated, this.props.stage), {
      threshold: 1,
      description: 'A case passed its service standard without a decision (metric CasesEscalated): it moved to the senior-review queue and the citizen was told it is late and given a new date. Look at the senior-review queue in the caseworker console; several at once mean the team is short of capacity.',
    });
    this.alarm('DateOfBirthGuessing', custom(METRIC.wrongDatesOfBirth, this.props.stage), {
      threshold: WRONG_DATES_OF_BIRTH_BEFORE_ALARM,
      description: `${WRONG_DATES_OF_BIRTH_BEFORE_ALARM} or more wrong dates of birth were sent in 5 minutes, across cases (renew, appeal, answer): someone may be guessing citizens' dates of birth for references they know. Each case pauses after 5 and its citizen is texted (CasesPausedForDatesOfBirth on the dashboard; "Changes online paused" in each case's audit trail). Look at the WAF logs and the API's access log for the addresses, and block them if it keeps on.`,
    });
    this.alarm('BankHolidaysMissing', custom(METRIC.bankHolidaysMissing, this.props.stage), { threshold: 1, description: 'A service-standard date was counted past the end of the bank-holiday calendar, so citizens may be given a wrong date. Add next year\'s bank holidays to catalogue/bank-holidays.json and deploy.' });
  }

  /**
   * Each service's journey against the share of decisions within its standard that it publishes
   * as its target (catalogue/services.json), a day at a time; and the figures /performance
   * publishes, which must not be short of a case.
   */
  private performanceAlarms(journeys: readonly ServiceJourney[]): void {
    for (const serviceJourney of journeys) {
      const { code, journey, standard, id } = serviceJourney;
      const target = standard.withinStandardTargetPercent;
      // Judged only on a day with enough decisions to say something (one late case of three is
      // not a trend); no decisions in a day is no news: it neither starts nor ends a breach.
      const judged = new MathExpression({
        expression: `IF(decided >= ${MIN_DECISIONS_JUDGED}, share, 1)`,
        usingMetrics: {
          share: decisions(METRIC.decidedWithinStandard, this.props.stage, serviceJourney, Stats.AVERAGE),
          decided: decisions(METRIC.decidedWithinStandard, this.props.stage, serviceJourney, Stats.SAMPLE_COUNT),
        },
        period: STANDARD_PERIOD,
        label: `${code} ${journey}: share decided within the standard (days with ${MIN_DECISIONS_JUDGED} or more decisions)`,
      });
      this.alarm(`${id}WithinStandardBelowTarget`, judged, {
        threshold: target / 100,
        below: true,
        description: `Fewer than ${target}% of the ${code} ${journey} decisions made in a day (UTC) were within the service standard of ${standard.decisionWorkingDays} working days (metric DecidedWithinStandard, service ${code}, journey ${journey}): the service is missing the target it publishes on /performance, and citizens wait longer than they were told. Look at the awaiting-decision and senior-review queues in the caseworker console, the ServiceStandardMissed alarm and the dashboard's within-standard and working-days graphs. Days with fewer than ${MIN_DECISIONS_JUDGED} decisions are not judged.`,
      });
    }
    this.alarm('FiguresNotCounted', custom(METRIC.figuresNotCounted, this.props.stage), {
      threshold: 1,
      description: 'A performance figure (a case received or decided, a text, an estimate) could not be written: the figures on /performance and the estimates in citizens\' statuses are short of a case until it is counted. The case itself moved on. Look at the logs for "performance figure not counted" and "estimate not worked out", and at the case table\'s throttle alarm.',
    });
  }

  private deliveryAlarms(): void {
    const { deadLetterQueues, milestoneTopic, smsMonthlySpendLimitUsd } = this.props;
    this.alarm('MilestonesNotPublished', custom(METRIC.milestonesNotPublished, this.props.stage), { threshold: 1, description: 'A milestone could not be published to the milestone topic: the citizen was not texted and the feed missed it. Look at the logs for "milestone publish failed".' });
    this.alarm('MilestoneDeliveriesFailed', milestoneTopic.metricNumberOfNotificationsFailed({ period: PERIOD, statistic: Stats.SUM }), {
      threshold: 1,
      description: 'The milestone topic could not deliver a milestone to a subscriber: the SMS notifier (then it waits in UndeliveredMilestones) or another agency\'s feed subscription. Look at the topic\'s delivery metrics and the UndeliveredMilestones queue.',
    });
    this.alarm('SmsFailed', custom(METRIC.smsFailed, this.props.stage), { threshold: 1, description: 'A text to a citizen could not be sent (SNS refused it, or the spend limit was reached). The notifier retries it twice, then keeps it in FailedNotifications. Look at the notifier\'s logs for "sms not sent" and at the SMS spend alarm.' });
    const limit = smsMonthlySpendLimitUsd;
    // AWS/SNS SMSMonthToDateSpentUSD is account-wide (no dimension) and its valid statistic is
    // Maximum. It is only published while texts are sent: missing data keeps the alarm as it is,
    // or a quiet hour would end it and the next text start it again, all month.
    this.alarm('SmsSpendNearLimit', smsSpend(), {
      threshold: Math.round(limit * SMS_SPEND_WARNING * 100) / 100,
      description: `This account has spent ${SMS_SPEND_WARNING * 100}% of its monthly SMS spend limit ($${limit}) this month. At the limit SNS stops texting within minutes and citizens get no texts until the month ends. Ask AWS Support to raise the limit, then raise MonthlySpendLimit (SNS text messaging preferences) and the stack's smsMonthlySpendLimitUsd. Dev and prod share the account's spend.`,
      missingData: TreatMissingData.IGNORE,
    });
    for (const queue of deadLetterQueues) {
      this.alarm(`${queue.node.id}Visible`, queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: Stats.MAXIMUM }), {
        threshold: 1,
        description: `Something could not be delivered and is waiting in ${queue.node.id}: a citizen was not told, or a job did not run. Fix the cause, then redrive it.`,
      });
    }
  }

  /** DynamoDB throttling on each table (and the case table's queue index, whose throttled writes hold back the table's). */
  private tableAlarms(): TableMetrics[] {
    const { caseTable, sessionTable } = this.props;
    const tables: TableMetrics[] = [
      { label: 'Cases', table: caseTable, indexes: [CASE_TABLE.queueIndex.name], who: 'citizens and caseworkers' },
      { label: 'Sessions', table: sessionTable, indexes: [], who: 'caseworkers signing in and using the console' },
    ].map((t) => ({ ...t, throttles: throttleEvents(t.table, t.indexes) }));
    for (const { label, throttles, who } of tables) {
      // Metric math: an alarm's expression may use at most 10 metrics (2 for each table or index).
      const total = new MathExpression({ expression: 'SUM(FILL(METRICS(), 0))', usingMetrics: Object.fromEntries(throttles.map((m, i) => [`t${i}`, m])), period: PERIOD, label: `${label} throttle events` });
      this.alarm(`${label}TableThrottled`, total, {
        threshold: 1,
        periods: 2,
        description: `DynamoDB has throttled reads or writes on the ${label.toLowerCase()} table (or its index) for 10 minutes. The SDK retries a throttled request, so a short burst is absorbed; this long, ${who} get slow answers or errors. Look at the dashboard's DynamoDB graphs and the API alarms.`,
      });
    }
    return tables;
  }

  private alarm(id: string, metric: IMetric, options: AlarmOptions): void {
    const periods = options.periods ?? 1;
    const alarm = new Alarm(this, id, {
      alarmName: `journey-tracker-${this.props.stage}-${id}`,
      metric,
      threshold: options.threshold,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      comparisonOperator: options.below
        ? ComparisonOperator.LESS_THAN_THRESHOLD
        : options.above
          ? ComparisonOperator.GREATER_THAN_THRESHOLD
          : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing happened, which is not a problem.
      treatMissingData: options.missingData ?? TreatMissingData.NOT_BREACHING,
      alarmDescription: `${options.description} Dashboard: ${this.dashboardName}.`,
    });
    const action = new SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarmList.push(alarm);
  }

  private alarmStatusWidgets(): IWidget[] {
    const groups = chunks(this.alarmList, ALARMS_PER_STATUS_WIDGET);
    return groups.map(
      (alarms, i) =>
        new AlarmStatusWidget({
          title: groups.length > 1 ? `Alarms (${i + 1} of ${groups.length})` : 'Alarms',
          alarms,
          width: 24,
          // about six alarms to a row at full width
          height: 1 + Math.ceil(alarms.length / 6),
        }),
    );
  }

  private apiWidgets(): IWidget[] {
    const api = this.apiStage;
    return [
      graph('API requests and errors', [api.metricCount({ label: 'Requests' })], [api.metricClientError({ label: '4xx' }), api.metricServerError({ label: '5xx' })]),
      graph('API latency (ms)', [api.metricLatency({ statistic: Stats.p(50), label: 'p50' }), api.metricLatency({ statistic: Stats.p(99), label: 'p99' })]),
    ];
  }

  private firewallWidgets(): IWidget[] {
    const { firewall } = this.props;
    if (!firewall) return [];
    return [
      graph('WAF: lookups over the rate limit (refused)', [overLimit(firewall, firewall.lookupRule, 'Lookups')]),
      graph('Wrong dates of birth, and cases they paused', [custom(METRIC.wrongDatesOfBirth, this.props.stage).with({ label: 'Wrong dates of birth' })], [custom(METRIC.casesPausedForDatesOfBirth, this.props.stage).with({ label: 'Cases paused' })]),
    ];
  }

  private journeyWidgets(journeys: readonly [Journey, IStateMachine][]): IWidget[] {
    return [
      graph(
        'Journeys',
        journeys.flatMap(([journey, sm]) => [sm.metricStarted({ label: `${journey} started` }), sm.metricSucceeded({ label: `${journey} succeeded` })]),
        journeys.flatMap(([journey, sm]) => [sm.metricFailed({ label: `${journey} failed` }), sm.metricTimedOut({ label: `${journey} timed out` }), sm.metricAborted({ label: `${journey} aborted` })]),
      ),
      graph('Cases on hold and standards missed', [custom(METRIC.casesOnHold, this.props.stage).with({ label: 'On hold' }), custom(METRIC.casesEscalated, this.props.stage).with({ label: 'Service standard missed (escalated)' })]),
    ];
  }

  /** Per service journey, a month of days: the share decided within the standard against its target, and the working days decisions took against the standard; and the quiet cases told they are still being worked on. */
  private performanceWidgets(journeys: readonly ServiceJourney[]): IWidget[] {
    const { stage } = this.props;
    return [
      ...journeys.flatMap((serviceJourney) => {
        const { code, journey, standard } = serviceJourney;
        const target = standard.withinStandardTargetPercent;
        return [
          new GraphWidget({
            title: `${code} ${journey}: share of each day's decisions within the standard`,
            width: 8,
            height: 6,
            start: PERFORMANCE_GRAPH_RANGE,
            left: [decisions(METRIC.decidedWithinStandard, stage, serviceJourney, Stats.AVERAGE).with({ label: 'Within the standard' })],
            leftYAxis: { min: 0, max: 1 },
            leftAnnotations: [{ value: target / 100, label: `Target: ${target}% (alarm below)` }],
          }),
          new GraphWidget({
            title: `${code} ${journey}: working days to decision`,
            width: 8,
            height: 6,
            start: PERFORMANCE_GRAPH_RANGE,
            left: [
              decisions(METRIC.workingDaysToDecision, stage, serviceJourney, Stats.p(50)).with({ label: 'p50' }),
              decisions(METRIC.workingDaysToDecision, stage, serviceJourney, Stats.p(90)).with({ label: 'p90' }),
            ],
            leftYAxis: { min: 0 },
            leftAnnotations: [{ value: standard.decisionWorkingDays, label: `Service standard: ${standard.decisionWorkingDays} working days` }],
          }),
        ];
      }),
      graph('Quiet cases told they are still being worked on; figures not counted', [custom(METRIC.quietCasesTold, stage).with({ label: 'Quiet cases told' })], [custom(METRIC.figuresNotCounted, stage).with({ label: 'Figures not counted' })]),
    ];
  }

  private smsWidgets(): IWidget[] {
    const limit = this.props.smsMonthlySpendLimitUsd;
    return [
      graph(
        'SMS',
        [custom(METRIC.smsSent, this.props.stage).with({ label: 'Sent' }), custom(METRIC.smsFailed, this.props.stage).with({ label: 'Failed' }), custom(METRIC.smsOptedOut, this.props.stage).with({ label: 'Opted out' })],
        [custom(METRIC.smsSegments, this.props.stage).with({ label: 'Segments (billed)' })],
      ),
      new GraphWidget({
        title: 'SMS spend this month (USD, whole account)',
        width: 8,
        left: [smsSpend().with({ label: 'Month to date', period: Duration.hours(1) })],
        leftYAxis: { min: 0 },
        leftAnnotations: [
          { value: limit, label: 'Spend limit: texting stops' },
          { value: limit * SMS_SPEND_WARNING, label: `Alarm (${SMS_SPEND_WARNING * 100}%)` },
        ],
      }),
    ];
  }

  private queueWidgets(): IWidget[] {
    return [graph('Dead-letter queues', this.props.deadLetterQueues.map((queue) => queue.metricApproximateNumberOfMessagesVisible({ label: queue.node.id, statistic: Stats.MAXIMUM })))];
  }

  private tableWidgets(tables: readonly TableMetrics[]): IWidget[] {
    return [
      graph('DynamoDB throttle events', tables.flatMap((t) => t.throttles)),
      graph(
        'DynamoDB consumed capacity',
        tables.map((t) => t.table.metricConsumedReadCapacityUnits({ label: `${t.label} reads` })),
        tables.map((t) => t.table.metricConsumedWriteCapacityUnits({ label: `${t.label} writes` })),
      ),
    ];
  }

  private functionWidgets(): IWidget[] {
    const { functions } = this.props;
    return [
      ...chunks(functions.map((fn) => fn.metricErrors({ label: fn.registered.name, statistic: Stats.SUM })), METRICS_PER_GRAPH).map((metrics) => graph('Lambda errors', metrics)),
      ...chunks(functions.map((fn) => fn.metricThrottles({ label: fn.registered.name, statistic: Stats.SUM })), METRICS_PER_GRAPH).map((metrics) => graph('Lambda throttles', metrics)),
    ];
  }
}

interface TableMetrics {
  readonly label: string;
  readonly table: ITable;
  readonly indexes: readonly string[];
  readonly who: string;
  readonly throttles: readonly Metric[];
}

/** Read and write throttle events on a table and each of its global secondary indexes. */
function throttleEvents(table: ITable, indexes: readonly string[]): Metric[] {
  const scopes = [{ label: '', dims: {} }, ...indexes.map((index) => ({ label: ` ${index}`, dims: { GlobalSecondaryIndexName: index } }))];
  return scopes.flatMap(({ label, dims }) =>
    (['Read', 'Write'] as const).map((kind) => table.metric(`${kind}ThrottleEvents`, { dimensionsMap: { TableName: table.tableName, ...dims }, statistic: Stats.SUM, period: PERIOD, label: `${table.node.id}${label} ${kind.toLowerCase()}s throttled` })),
  );
}

/** Requests one of the web ACL's rules blocked (a regional web ACL's metric: its Region is a dimension). */
/** Requests a rate rule found over its limit: it counts and labels them, and the rules after it refuse them (lib/firewall.ts). */
function overLimit(firewall: WebAclMetrics, rule: string, label?: string): Metric {
  return new Metric({
    namespace: 'AWS/WAFV2',
    metricName: 'CountedRequests',
    dimensionsMap: { WebACL: firewall.webAclName, Rule: rule, Region: firewall.region },
    statistic: Stats.SUM,
    period: PERIOD,
    label,
  });
}

function smsSpend(): Metric {
  return new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', statistic: Stats.MAXIMUM, period: PERIOD });
}

function graph(title: string, left: IMetric[], right: IMetric[] = []): GraphWidget {
  return new GraphWidget({ title, width: 8, height: 6, left, right });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * CloudWatch publishes an alarm's notification itself, and a topic with a policy of its own (as
 * refuseWithoutTls makes) must let it, or the alarm changes state and nobody hears of it (the alarm's
 * history says why). Only this account's alarms. The key's side is in lib/keys.ts.
 */
function allowAlarmsToPublish(topic: ITopic): void {
  const alarmsOfThisAccount = {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
  };
  topic.addToResourcePolicy(
    new PolicyStatement({ sid: 'CloudWatchAlarmsPublish', principals: [new ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['sns:Publish'], resources: [topic.topicArn], conditions: alarmsOfThisAccount }),
  );
}
