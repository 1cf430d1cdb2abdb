// CDK assertions for the monitoring construct alone, on a small stack of its own (no bundling):
// an errors and a throttles alarm for every function it is given, the API's server errors and
// p99 latency, each journey's failed, timed-out and aborted executions, dead letters, DynamoDB
// throttling on both tables, SMS failures and spend, service standards missed, the API's web ACL
// blocking date of birth checks and lookups, each service's journey deciding fewer cases within its
// standard than its published target, performance figures not counted; every alarm to the ops
// topic when it starts and when it ends; the email subscription only when there is an email; one
// dashboard named for the stage.
import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi, Stage } from 'aws-cdk-lib/aws-apigateway';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { requireService, serviceCodes, serviceStandard } from '../lambdas/domain/services/catalogue';
import { METRIC, METRICS_DIMENSION, METRICS_NAMESPACE, STAGE_DIMENSION, performanceDimensions } from '../lambdas/domain/shared/metrics';
import type { Journey } from '../lambdas/domain/shared/reference';
import { JOURNEYS, functionNamed } from '../lambdas/functions';
import type { WebAclMetrics } from '../lib/types';
import { BLOCKED_BEFORE_ALARM, Monitoring, WRONG_DATES_OF_BIRTH_BEFORE_ALARM } from '../lib/monitoring';
import { TOPIC_POLICY_ACTIONS } from '../lib/notifications';
import { PlatformFunction } from '../lib/platform-function';
import type { IConstruct } from 'constructs';

// CloudFormation properties are free-form JSON.
type Json = any;

const SPEND_LIMIT = 250;
/** one function a person waits on, one a milestone starts asynchronously */
const FUNCTIONS = ['GetStatus', 'SmsNotifier'] as const;
/** the regional web ACL's, as lib/firewall.ts names them */
const FIREWALL: WebAclMetrics = { webAclName: 'Monitored-JourneyTrackerApi', region: 'eu-west-2', lookupRule: 'PublicLookupRate' };

function synthesise(options: { readonly alarmEmail?: string; readonly firewall?: WebAclMetrics } = {}) {
  // no bundling: only the alarms and the dashboard are looked at
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Monitored', { env: { account: '111111111111', region: 'eu-west-2' } });
  const api = new RestApi(stack, 'Api', { restApiName: 'journey-tracker-prod' });
  api.root.addMethod('GET', new MockIntegration());
  const caseTable = new Table(stack, 'Cases', { partitionKey: { name: CASE_TABLE.partitionKey, type: AttributeType.STRING }, billingMode: BillingMode.PAY_PER_REQUEST });
  caseTable.addGlobalSecondaryIndex({
    indexName: CASE_TABLE.queueIndex.name,
    partitionKey: { name: CASE_TABLE.queueIndex.partitionKey, type: AttributeType.STRING },
    sortKey: { name: CASE_TABLE.queueIndex.sortKey, type: AttributeType.STRING },
    projectionType: ProjectionType.KEYS_ONLY,
  });
  const sessionTable = new Table(stack, 'Sessions', { partitionKey: { name: 'id', type: AttributeType.STRING }, billingMode: BillingMode.PAY_PER_REQUEST });
  const milestoneTopic = new Topic(stack, 'Milestones');
  const functions = FUNCTIONS.map((name) => new PlatformFunction(stack, functionNamed(name), { table: caseTable, milestones: milestoneTopic }));
  const stateMachines = Object.fromEntries(
    JOURNEYS.map((journey) => [journey, new StateMachine(stack, `${journey}Journey`, { definitionBody: DefinitionBody.fromChainable(new Pass(stack, `${journey}Start`)) })]),
  ) as Record<Journey, StateMachine>;
  const deadLetterQueues = ['FailedNotifications', 'MissedRuns'].map((id) => new Queue(stack, id));
  const monitoring = new Monitoring(stack, 'Monitoring', {
    stage: 'prod',
    api,
    stateMachines,
    functions,
    deadLetterQueues,
    caseTable,
    sessionTable,
    milestoneTopic,
    masterKey: new Key(stack, 'MessagesKey'),
    alarmEmail: options.alarmEmail,
    smsMonthlySpendLimitUsd: SPEND_LIMIT,
    firewall: options.firewall,
  });
  const template = Template.fromStack(stack);
  const ref = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  return { template, monitoring, ref, functions, stateMachines, deadLetterQueues, caseTable, sessionTable, api };
}

const withEmail = synthesise({ alarmEmail: 'ops@example.gov.uk', firewall: FIREWALL });
const { template, ref } = withEmail;
const alarms = (): Json[] => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm: Json) => alarm.Properties);
const atLeastOnce = { Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' };
/** The dimensions as a name-to-value record, whatever their order in the template. */
const dimensionsOf = (alarm: Json): Record<string, Json> => Object.fromEntries((alarm.Dimensions ?? []).map((d: Json) => [d.Name, d.Value]));
/** What every function's metrics carry in the prod stage (lambdas/adapters/aws/metrics.ts): the service and the stage. */
const STAGE_METRIC_DIMENSIONS = { ...METRICS_DIMENSION, [STAGE_DIMENSION]: 'prod' };
/** Every journey of every service in the catalogue, with the standard it publishes. */
const SERVICE_JOURNEYS = serviceCodes().flatMap((code) => requireService(code).journeys.map((journey) => ({ code, journey, standard: serviceStandard(requireService(code), journey) })));
/** The dashboard's widgets, each reference in them written as ${LogicalId} or ${LogicalId.Attribute}. */
const dashboardWidgets = (): Json[] => {
  const [, parts] = (Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as Json).Properties.DashboardBody['Fn::Join'];
  return JSON.parse(parts.map((part: Json) => (typeof part === 'string' ? part : `\${${[Object.values(part)].flat(2).join('.')}}`)).join('')).widgets;
};

describe('monitoring', () => {
  it('alarms on the errors and the throttles of every function it is given, by what starts it', () => {
    const expected = { GetStatus: 1, SmsNotifier: 5 };
    for (const fn of withEmail.functions) {
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: ref(fn) } }],
          Statistic: 'Sum',
          Threshold: expected[fn.registered.name as keyof typeof expected],
          AlarmName: `journey-tracker-prod-${fn.registered.name}${metric}`,
        });
      }
    }
  });

  it("alarms on the API's server errors and its p99 latency", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Statistic: 'Sum', Period: 300, ...atLeastOnce });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: 3000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
  });

  it("counts the API's requests, errors and latency of its own name and stage only, so another stage's API in the account never sets them off", () => {
    const apiDimensions = [
      { Name: 'ApiName', Value: 'journey-tracker-prod' },
      { Name: 'Stage', Value: { Ref: ref(withEmail.api.deploymentStage) } },
    ];
    const apiAlarms = alarms().filter((alarm) => alarm.Namespace === 'AWS/ApiGateway');
    expect(apiAlarms.map((alarm) => alarm.MetricName).sort()).toEqual(['5XXError', 'Latency']);
    for (const alarm of apiAlarms) expect([alarm.MetricName, alarm.Dimensions]).toEqual([alarm.MetricName, apiDimensions]);
    // and the dashboard's graphs of the API: [namespace, metric, ...dimension names and values, options]
    const graphed = dashboardWidgets().flatMap((widget) => widget.properties.metrics ?? []).filter((metric: Json[]) => metric[0] === 'AWS/ApiGateway');
    expect(graphed.length).toBe(5);
    for (const metric of graphed) expect(metric.slice(1, 6)).toEqual([metric[1], 'ApiName', 'journey-tracker-prod', 'Stage', `\${${ref(withEmail.api.deploymentStage)}}`]);
  });

  it("alarms when the API's web ACL keeps blocking lookups, on that web ACL's rate rule in its region", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/WAFV2',
      MetricName: 'CountedRequests',
      Dimensions: [
        { Name: 'Region', Value: 'eu-west-2' },
        { Name: 'Rule', Value: FIREWALL.lookupRule },
        { Name: 'WebACL', Value: FIREWALL.webAclName },
      ],
      Statistic: 'Sum',
      Period: 300,
      Threshold: BLOCKED_BEFORE_ALARM.lookup,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    // without a web ACL, no such alarm
    expect(Object.values(synthesise().template.findResources('AWS::CloudWatch::Alarm')).filter((alarm: Json) => alarm.Properties.Namespace === 'AWS/WAFV2')).toEqual([]);
  });

  it('alarms when a journey fails, times out or is stopped', () => {
    for (const stateMachine of Object.values(withEmail.stateMachines)) {
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/States',
          MetricName: metric,
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: ref(stateMachine) } }],
          ...atLeastOnce,
        });
      }
    }
  });

  it('alarms when anything waits in a dead-letter queue', () => {
    for (const queue of withEmail.deadLetterQueues) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ref(queue), 'QueueName'] } }],
        ...atLeastOnce,
      });
    }
  });

  it('alarms on DynamoDB throttling of both tables, the queue index included, within the metric-math limit', () => {
    const throttled = alarms().filter((alarm) => alarm.Metrics?.some((query: Json) => /ThrottleEvents$/.test(query.MetricStat?.Metric.MetricName ?? '')));
    const tableOf = (alarm: Json) => new Set(alarm.Metrics.flatMap((query: Json) => query.MetricStat?.Metric.Dimensions.filter((d: Json) => d.Name === 'TableName').map((d: Json) => d.Value.Ref) ?? []));
    expect(throttled.map((alarm) => [...tableOf(alarm)]).sort()).toEqual([[ref(withEmail.caseTable)], [ref(withEmail.sessionTable)]].sort());
    const caseAlarm = throttled.find((alarm) => alarm.AlarmName === 'journey-tracker-prod-CasesTableThrottled');
    const dimensions = caseAlarm.Metrics.filter((query: Json) => query.MetricStat).map((query: Json) => query.MetricStat.Metric.Dimensions.map((d: Json) => d.Name).sort().join('+'));
    expect(new Set(dimensions)).toEqual(new Set(['TableName', 'GlobalSecondaryIndexName+TableName']));
    for (const alarm of throttled) {
      expect(alarm.Metrics.filter((query: Json) => query.MetricStat).length).toBeLessThanOrEqual(10);
      expect(alarm.Metrics.find((query: Json) => query.Expression).ReturnData).not.toBe(false);
    }
  });

  it("alarms when a text fails, and when the account's SMS spend reaches 80% of its limit", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'JourneyTracker', MetricName: 'SmsFailed', ...atLeastOnce });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SNS',
      MetricName: 'SMSMonthToDateSpentUSD',
      Statistic: 'Maximum',
      Threshold: SPEND_LIMIT * 0.8,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: Match.absent(),
      // a quiet hour (no texts, no data) neither ends nor starts it
      TreatMissingData: 'ignore',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SNS', MetricName: 'NumberOfNotificationsFailed', ...atLeastOnce });
  });

  it('alarms when a case misses its service standard, and keeps the alarms it had', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'journey-tracker-prod-ServiceStandardMissed',
      Namespace: 'JourneyTracker',
      MetricName: 'CasesEscalated',
      AlarmDescription: Match.stringLikeRegexp('service standard'),
      ...atLeastOnce,
    });
    for (const metric of ['CasesOnHold', 'MilestonesNotPublished', 'BankHolidaysMissing']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'JourneyTracker', MetricName: metric, ...atLeastOnce });
    }
  });

  it('alarms when wrong dates of birth keep coming across cases (someone guessing), counted however many addresses they come from', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'journey-tracker-prod-DateOfBirthGuessing',
      Namespace: 'JourneyTracker',
      MetricName: METRIC.wrongDatesOfBirth,
      Threshold: WRONG_DATES_OF_BIRTH_BEFORE_ALARM,
      AlarmDescription: Match.stringLikeRegexp('guessing'),
    });
    // more than one case's worth before it pauses (5), so one citizen mistyping never wakes anyone
    expect(WRONG_DATES_OF_BIRTH_BEFORE_ALARM).toBeGreaterThan(5);
  });

  it("watches the platform's own metrics of its own stage only, as the stage's functions count them", () => {
    const own = alarms().filter((alarm: Json) => alarm.Namespace === 'JourneyTracker');
    expect(own.length).toBeGreaterThanOrEqual(5);
    for (const alarm of own) {
      // a per-decision metric carries its service's journey as well (lambdas/domain/performance/performance-tally.ts)
      const { serviceCode, journey, ...rest } = dimensionsOf(alarm);
      expect([alarm.MetricName, rest]).toEqual([alarm.MetricName, { service: 'journey-tracker', stage: 'prod' }]);
      if (alarm.MetricName !== METRIC.decidedWithinStandard) expect([alarm.MetricName, alarm.Dimensions]).toEqual([alarm.MetricName, [{ Name: 'service', Value: 'journey-tracker' }, { Name: 'stage', Value: 'prod' }]]);
    }
  });

  it("alarms when a service's journey decides a smaller share of a day's cases within its standard than the target it publishes, on that journey's metric as the functions count it, judging only days with enough decisions", () => {
    expect(SERVICE_JOURNEYS.length).toBeGreaterThan(0);
    // the share and the count of the day's decisions, both of DecidedWithinStandard: IF(count >= 10, share, 1)
    const statOf = (alarm: Json, id: string): Json => alarm.Metrics?.find((m: Json) => m.Id === id)?.MetricStat;
    const withinStandard = alarms().filter((alarm) => statOf(alarm, 'share')?.Metric.MetricName === METRIC.decidedWithinStandard);
    const dimensionsIn = (stat: Json) => Object.fromEntries(stat.Metric.Dimensions.map((d: Json) => [d.Name, d.Value]));
    // one for each journey of each service in the catalogue, and no other
    expect(withinStandard.map((alarm) => [dimensionsIn(statOf(alarm, 'share')).serviceCode, dimensionsIn(statOf(alarm, 'share')).journey]).sort()).toEqual(SERVICE_JOURNEYS.map(({ code, journey }) => [code, journey]).sort());
    for (const { code, journey, standard } of SERVICE_JOURNEYS) {
      const alarm = withinStandard.find((a) => dimensionsIn(statOf(a, 'share')).serviceCode === code && dimensionsIn(statOf(a, 'share')).journey === journey);
      for (const [id, stat] of [['share', 'Average'], ['decided', 'SampleCount']]) {
        const metric = statOf(alarm, id);
        expect([code, journey, id, metric.Metric.Namespace, metric.Metric.MetricName, dimensionsIn(metric), metric.Metric.Dimensions.length, metric.Stat, metric.Period]).toEqual([
          code, journey, id, METRICS_NAMESPACE, METRIC.decidedWithinStandard, { ...STAGE_METRIC_DIMENSIONS, ...performanceDimensions(code, journey) }, 4, stat, 86_400,
        ]);
      }
      const judged = alarm.Metrics.find((m: Json) => m.ReturnData !== false && m.Expression);
      expect(judged.Expression).toBe('IF(decided >= 10, share, 1)');
      expect(alarm).toMatchObject({
        EvaluationPeriods: 1,
        Threshold: standard.withinStandardTargetPercent / 100,
        ComparisonOperator: 'LessThanThreshold',
        // a day without decisions is no news
        TreatMissingData: 'notBreaching',
      });
      // says what citizens see, and which target
      expect(alarm.AlarmDescription).toContain(`Fewer than ${standard.withinStandardTargetPercent}% of the ${code} ${journey} decisions`);
      expect(alarm.AlarmDescription).toContain(`${standard.decisionWorkingDays} working days`);
    }
  });

  it('alarms when a performance figure could not be written, and only graphs the quiet cases told', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'journey-tracker-prod-FiguresNotCounted',
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC.figuresNotCounted,
      Dimensions: [{ Name: 'service', Value: 'journey-tracker' }, { Name: 'stage', Value: 'prod' }],
      Statistic: 'Sum',
      Period: 300,
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('/performance'),
      ...atLeastOnce,
    });
    expect(alarms().filter((alarm) => alarm.MetricName === METRIC.quietCasesTold)).toEqual([]);
  });

  it("graphs each service's journey: the share decided within the standard against its target, and the working days to decision (p50, p90) against the standard; and the quiet cases told", () => {
    const widgets = dashboardWidgets();
    const sameRecord = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    // [namespace, metric, ...dimension names and values, options], as a dimension record and options
    const graphed = (widget: Json) => (widget.properties.metrics ?? []).map((metric: Json[]) => ({ namespace: metric[0], name: metric[1], dimensions: Object.fromEntries(Array.from({ length: (metric.length - 3) / 2 }, (_, i) => [metric[2 + 2 * i], metric[3 + 2 * i]])), options: metric[metric.length - 1] }));
    const showing = (name: string, dimensions: Record<string, string>) => widgets.filter((widget) => graphed(widget).some((m: Json) => m.namespace === METRICS_NAMESPACE && m.name === name && sameRecord(m.dimensions, dimensions)));
    for (const { code, journey, standard } of SERVICE_JOURNEYS) {
      const dimensions = { ...STAGE_METRIC_DIMENSIONS, ...performanceDimensions(code, journey) };
      const [share, ...moreShares] = showing(METRIC.decidedWithinStandard, dimensions);
      expect([code, journey, moreShares.length]).toEqual([code, journey, 0]);
      const [shareMetric] = graphed(share).filter((m: Json) => m.name === METRIC.decidedWithinStandard);
      // Average is a graph's default statistic: the share of the day's decisions
      expect([shareMetric.options.stat ?? 'Average', shareMetric.options.period]).toEqual(['Average', 86_400]);
      expect(share.properties.annotations.horizontal).toContainEqual(expect.objectContaining({ value: standard.withinStandardTargetPercent / 100 }));
      const [days, ...moreDays] = showing(METRIC.workingDaysToDecision, dimensions);
      expect([code, journey, moreDays.length]).toEqual([code, journey, 0]);
      expect(graphed(days).filter((m: Json) => m.name === METRIC.workingDaysToDecision).map((m: Json) => m.options.stat).sort()).toEqual(['p50', 'p90']);
      expect(days.properties.annotations.horizontal).toContainEqual(expect.objectContaining({ value: standard.decisionWorkingDays }));
    }
    expect(showing(METRIC.quietCasesTold, STAGE_METRIC_DIMENSIONS)).toHaveLength(1);
  });

  it('sends every alarm to the encrypted ops topic when it starts and when it ends, and counts no missing data against it', () => {
    const topic = { Ref: ref(withEmail.monitoring.alarmTopic) };
    expect(alarms().length).toBe(withEmail.monitoring.alarms.length);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
      expect(JSON.stringify(alarm.AlarmDescription)).toContain('Dashboard: journey-tracker-prod.');
      // CloudWatch takes at most 1024 characters (a function's name, filled in on deploy, is at most 64)
      const text = typeof alarm.AlarmDescription === 'string' ? alarm.AlarmDescription : alarm.AlarmDescription['Fn::Join'][1].map((part: Json) => (typeof part === 'string' ? part : 'x'.repeat(64))).join('');
      expect(text.length).toBeLessThanOrEqual(1024);
      expect(['notBreaching', 'ignore']).toContain(alarm.TreatMissingData);
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue(), DisplayName: Match.stringLikeRegexp('prod') });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic],
      PolicyDocument: {
        Statement: Match.arrayWith([
          // every action a topic policy can name, not only Publish (CDK's enforceSSL)
          Match.objectLike({ Effect: 'Deny', Principal: '*', Action: [...TOPIC_POLICY_ACTIONS], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': Match.anyValue() } }) }),
        ]),
      },
    });
  });

  it('emails the alarms only when an email is given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.gov.uk', TopicArn: { Ref: ref(withEmail.monitoring.alarmTopic) } });
    synthesise().template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('has one dashboard, named for the stage, with every alarm and the graphs ops need', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'journey-tracker-prod' });
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const title of ['Alarms', 'API requests and errors', 'API latency', 'WAF: lookups over the rate limit', 'Wrong dates of birth', 'Journeys', 'standards missed', 'SMS spend', 'Dead-letter queues', 'DynamoDB throttle', 'DynamoDB consumed capacity', 'Lambda errors', 'Lambda throttles']) {
      expect(body).toContain(title);
    }
    // every alarm in the status widget: CloudWatch shows at most 100 in one
    for (const alarm of Object.keys(template.findResources('AWS::CloudWatch::Alarm'))) expect(body).toContain(alarm);
  });

  it("passes cdk-nag's AWS Solutions and Serverless checks on its own resources", () => {
    // everything around it imported, so only the topic, its policy and subscription, the alarms and the dashboard are checked
    const app = new App();
    const stack = new Stack(app, 'Nagged', { env: { account: '111111111111', region: 'eu-west-2' } });
    const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-2:111111111111:${resource}`;
    const api = RestApi.fromRestApiId(stack, 'Api', 'api') as RestApi;
    api.deploymentStage = Stage.fromStageAttributes(stack, 'ApiStage', { stageName: 'v1', restApi: api }) as Stage;
    new Monitoring(stack, 'Monitoring', {
      stage: 'prod',
      api,
      stateMachines: Object.fromEntries(JOURNEYS.map((journey) => [journey, StateMachine.fromStateMachineName(stack, journey, journey)])) as Record<Journey, StateMachine>,
      functions: [],
      deadLetterQueues: [Queue.fromQueueArn(stack, 'Dead', arn('sqs', 'dead'))],
      caseTable: Table.fromTableName(stack, 'Cases', 'cases'),
      sessionTable: Table.fromTableName(stack, 'Sessions', 'sessions'),
      milestoneTopic: Topic.fromTopicArn(stack, 'Milestones', arn('sns', 'milestones')),
      masterKey: Key.fromKeyArn(stack, 'Key', arn('kms', 'key/messages')),
      alarmEmail: 'ops@example.gov.uk',
      smsMonthlySpendLimitUsd: SPEND_LIMIT,
      firewall: FIREWALL,
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('refuses a spend limit that is not a positive number of dollars', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    expect(() => new Monitoring(stack, 'Monitoring', { ...({} as Json), smsMonthlySpendLimitUsd: 0 })).toThrow(/smsMonthlySpendLimitUsd/);
  });
});
