// What 1,000 journeys cost in AWS, from the usage a run of journeys left on the local platform
// (local/usage.ts) and the price table (bench/prices.ts). A pure function: no clock, no I/O, and
// numbers stay numbers (round them only to show them).
//
// Free tiers are ignored throughout (Step Functions' 4,000 transitions a month, Lambda's million
// requests, KMS's 20,000 requests, CloudWatch's allowances...): the figure is what the work costs,
// not what a small account happens to pay in its first month. SMS is reported beside the total,
// not in it: it depends on how many texts citizens asked for, and its price is the carriers'.
import type { Usage } from '../local/usage';
import { PRICES, unitPrice, type PriceName, type PriceTable } from './prices';

// --- Assumptions: what the local platform cannot see, each named so it can be found and changed.

/**
 * Lambda writes START, END and REPORT lines of its own to each invocation's log (about 300 bytes
 * together); the local platform only sees what the functions write.
 */
export const LAMBDA_PLATFORM_LOG_BYTES_PER_INVOCATION = 300;

/**
 * The journeys log every state entered and left (LogLevel.ALL, without execution data: lib/journeys.ts).
 * A task state leaves about five events (entered, scheduled, started, succeeded, exited) and a
 * choice or pass state two, each about 400 bytes of JSON with the execution's ARN: about 1,500
 * bytes a transition on average. An estimate, not a measurement.
 */
export const JOURNEY_LOG_BYTES_PER_TRANSITION = 1_500;

/** API Gateway's access log line for each request (ACCESS_LOG_FORMAT in lib/api.ts: eleven short fields), about 350 bytes. */
export const ACCESS_LOG_BYTES_PER_REQUEST = 350;

/**
 * Every public request passes two web ACLs with the same rules: CloudFront's (lib/edge-firewall.ts)
 * and the API stage's (lib/firewall.ts), so WAF inspects it, and charges for it, twice.
 */
export const WEB_ACLS_PER_REQUEST = 2;

/** The log groups keep a month (LOG_RETENTION in lib/platform-function.ts), so each GB ingested is stored for about a month. */
export const LOG_RETENTION_MONTHS = 1;

/**
 * KMS requests AWS services make with the customer-managed keys, at most, per unit of work. The
 * services cache the keys, so the real count depends on traffic, not on journeys; this assumes a
 * quiet service, where the caches have mostly expired between one piece of work and the next.
 * - DynamoDB: "the key is refreshed once every 5 minutes per client connection with active
 *   traffic" (DynamoDB developer guide, Encryption at rest: how it works). A function's execution
 *   environment keeps its connection between invocations, so at most one Decrypt an invocation.
 * - SNS: it "reuses a data key for up to 5 minutes", and its own estimate is two KMS requests per
 *   publishing principal per reuse period (SNS developer guide, Estimating AWS KMS costs): at most
 *   two a publish. Texts are published to phone numbers, not the encrypted topic: none.
 * - CloudWatch Logs documents no rate at which it calls KMS for an encrypted log group: not counted.
 * - Lambda decrypts environment variables (under the AWS managed key) only at a cold start, which
 *   the local platform does not count; the queues are dead-letter queues, empty when all is well.
 */
export const KMS_REQUESTS_PER_INVOCATION = 1;
export const KMS_REQUESTS_PER_PUBLISH = 2;

/** CloudWatch Logs' GB, taken as 2^30 bytes. */
const BYTES_PER_GB = 1024 ** 3;

export interface LineItem {
  readonly name: string;
  /** the price it is charged at, by its name in the price table */
  readonly price: PriceName;
  /** units per 1,000 journeys (for a fixed monthly line: units a month) */
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly usd: number;
  readonly note?: string;
}

/** What is billed every month whatever the traffic; counts the local platform cannot see are given. */
export interface Deployment {
  readonly alarms?: number;
  readonly dashboards?: number;
  /** customer-managed KMS keys */
  readonly kmsKeys?: number;
  readonly webAcls?: number;
  /** rules and managed rule groups, across all the web ACLs */
  readonly webAclRules?: number;
}

export interface JourneyCost {
  /** the journeys the usage was measured over */
  readonly journeys: number;
  readonly region: string;
  /** the day the prices were checked */
  readonly pricesCheckedOn: string;
  readonly lines: readonly LineItem[];
  /** AWS charges per 1,000 journeys, SMS excluded */
  readonly usd: number;
  readonly sms: {
    readonly textsPerJourney: number;
    readonly segmentsPerJourney: number;
    readonly usdPer1000Journeys: number;
  };
  /** billed per month regardless of journeys */
  readonly fixedMonthly: { readonly lines: readonly LineItem[]; readonly usd: number };
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export function costPer1000Journeys(usage: Usage, journeys: number, prices: PriceTable = PRICES, deployment: Deployment = {}): JourneyCost {
  if (!(journeys > 0)) throw new Error(`costPer1000Journeys needs the number of journeys measured, more than 0 (got ${journeys})`);
  const scale = 1_000 / journeys;

  const line = (name: string, price: PriceName, quantity: number, note?: string): LineItem => {
    const each = unitPrice(prices.items[price]);
    return { name, price, quantity, unit: prices.items[price].unit, unitPriceUsd: each, usd: quantity * each, ...(note === undefined ? {} : { note }) };
  };

  const functions = Object.values(usage.lambda);
  const invocations = sum(functions.map((fn) => fn.invocations));
  // GB-seconds as Lambda bills them: each function's billed time at its configured memory.
  const gbSeconds = sum(functions.map((fn) => (fn.billedMs / 1000) * (fn.memoryMb / 1024)));
  const apiRequests = sum(Object.values(usage.api));
  const kmsRequests = invocations * KMS_REQUESTS_PER_INVOCATION + usage.sns.topicPublishes * KMS_REQUESTS_PER_PUBLISH;
  const loggedBytes = {
    functions: usage.logs.bytes,
    lambdaPlatform: invocations * LAMBDA_PLATFORM_LOG_BYTES_PER_INVOCATION,
    journeys: usage.stateTransitions * JOURNEY_LOG_BYTES_PER_TRANSITION,
    accessLogs: apiRequests * ACCESS_LOG_BYTES_PER_REQUEST,
  };
  const ingestedGb = sum(Object.values(loggedBytes)) / BYTES_PER_GB;

  const lines: LineItem[] = [
    line('Step Functions state transitions', 'stepFunctionsTransition', usage.stateTransitions * scale),
    line('Lambda requests', 'lambdaRequest', invocations * scale),
    line(
      'Lambda duration (arm64)',
      'lambdaArmGbSecond',
      gbSeconds * scale,
      'Durations measured locally, every handler in one Node process on x64: a stand-in for Lambda on arm64, not a measurement of it. Cold starts (now billed too) are not included.',
    ),
    line('DynamoDB reads (on-demand)', 'dynamodbReadRequestUnit', usage.dynamodb.readUnits * scale),
    line('DynamoDB writes (on-demand)', 'dynamodbWriteRequestUnit', usage.dynamodb.writeUnits * scale),
    line('SNS publishes to the milestone topic', 'snsPublish', usage.sns.topicPublishes * scale, 'Each message is well under 64 KB: one request a publish.'),
    line('SNS deliveries to Lambda', 'snsLambdaDelivery', usage.sns.deliveries * scale, 'Free; the function they invoke is billed as Lambda.'),
    line('API Gateway REST requests', 'apiGatewayRestRequest', apiRequests * scale),
    line('CloudFront HTTPS requests (Europe)', 'cloudFrontHttpsRequestEurope', apiRequests * scale, 'Every request to the API comes through the distribution.'),
    line(
      'WAF requests inspected',
      'wafRequest',
      apiRequests * WEB_ACLS_PER_REQUEST * scale,
      `Each request passes ${WEB_ACLS_PER_REQUEST} web ACLs: CloudFront's and the API stage's.`,
    ),
    line(
      'KMS requests (customer-managed keys)',
      'kmsRequest',
      kmsRequests * scale,
      `At most: ${KMS_REQUESTS_PER_INVOCATION} a Lambda invocation (DynamoDB refreshes a table's key every 5 minutes per connection) and ${KMS_REQUESTS_PER_PUBLISH} a topic publish (SNS reuses a data key for up to 5 minutes). Fewer under steady traffic; CloudWatch Logs' use of its key is not counted.`,
    ),
    line('CloudWatch Logs ingestion: what the functions write', 'logsIngestedGb', (loggedBytes.functions / BYTES_PER_GB) * scale, 'Measured: every line the functions wrote, embedded metrics included.'),
    line(
      "CloudWatch Logs ingestion: Lambda's START, END and REPORT lines",
      'logsIngestedGb',
      (loggedBytes.lambdaPlatform / BYTES_PER_GB) * scale,
      `Assumed ${LAMBDA_PLATFORM_LOG_BYTES_PER_INVOCATION} bytes an invocation: Lambda writes them, the local platform does not see them.`,
    ),
    line(
      "CloudWatch Logs ingestion: the journeys' state events",
      'logsIngestedGb',
      (loggedBytes.journeys / BYTES_PER_GB) * scale,
      `Assumed ${JOURNEY_LOG_BYTES_PER_TRANSITION} bytes a state transition (every state entered and left, without its data).`,
    ),
    line(
      "CloudWatch Logs ingestion: API Gateway's access logs",
      'logsIngestedGb',
      (loggedBytes.accessLogs / BYTES_PER_GB) * scale,
      `Assumed ${ACCESS_LOG_BYTES_PER_REQUEST} bytes a request.`,
    ),
    line(
      'CloudWatch Logs storage',
      'logsStoredGbMonth',
      ingestedGb * LOG_RETENTION_MONTHS * scale,
      `Everything ingested, kept ${LOG_RETENTION_MONTHS} month; uncompressed bytes, so at most.`,
    ),
  ];

  const fixed: LineItem[] = [
    line('CloudWatch custom metrics', 'customMetricMonth', usage.logs.metrics.length, 'Each distinct metric name and dimension set the functions emitted.'),
    line('CloudWatch alarms', 'alarmMonth', deployment.alarms ?? 0),
    line('CloudWatch dashboards', 'dashboardMonth', deployment.dashboards ?? 0),
    line('KMS customer-managed keys', 'kmsKeyMonth', deployment.kmsKeys ?? 0, 'Before rotation: each yearly rotation adds $1 a month for the first two.'),
    line('WAF web ACLs', 'wafWebAclMonth', deployment.webAcls ?? 0),
    line('WAF rules and rule groups', 'wafRuleMonth', deployment.webAclRules ?? 0),
  ];

  return {
    journeys,
    region: prices.region,
    pricesCheckedOn: prices.checkedOn,
    lines,
    usd: sum(lines.map((item) => item.usd)),
    sms: {
      textsPerJourney: usage.sns.texts / journeys,
      segmentsPerJourney: usage.sns.segments / journeys,
      usdPer1000Journeys: usage.sns.segments * scale * unitPrice(prices.items.smsUkSegment),
    },
    fixedMonthly: { lines: fixed, usd: sum(fixed.map((item) => item.usd)) },
  };
}

const money = (usd: number) => (usd >= 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toPrecision(2)}`);

export function formatCost(cost: JourneyCost & { readonly maxSegmentsPerEnglishText?: number }): string[] {
  return [
    `Cost of 1,000 application journeys in AWS ${cost.region}, at the prices checked on ${cost.pricesCheckedOn} (bench/prices.ts; how: bench/COST.md), from what ${cost.journeys} journeys did`,
    '',
    '| line | per 1,000 journeys | unit | USD |',
    '| --- | ---: | --- | ---: |',
    ...cost.lines.map((line) => `| ${line.name} | ${line.quantity.toPrecision(4)} | ${line.unit} | ${money(line.usd)} |`),
    `| **AWS charges, SMS aside** | | | **${money(cost.usd)}** |`,
    '',
    `SMS beside it: ${cost.sms.textsPerJourney.toFixed(2)} texts and ${cost.sms.segmentsPerJourney.toFixed(2)} segments a journey, ${money(cost.sms.usdPer1000Journeys)} per 1,000 journeys` +
      (cost.maxSegmentsPerEnglishText === undefined ? '' : `; the longest English text took ${cost.maxSegmentsPerEnglishText} segment(s)`),
    `Billed monthly whatever the traffic: ${money(cost.fixedMonthly.usd)} (${cost.fixedMonthly.lines.filter((line) => line.quantity > 0).map((line) => `${line.name}: ${line.quantity}`).join(', ')})`,
  ];
}
