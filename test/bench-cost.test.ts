// The cost model behind the bench's cost per 1,000 journeys: each line moves with its own usage
// and nothing else, what is free or beside the total stays out of it, and the price table says
// when it was checked and where every price comes from.
import type { Usage } from '../local/usage';
import {
  ACCESS_LOG_BYTES_PER_REQUEST,
  costPer1000Journeys,
  JOURNEY_LOG_BYTES_PER_TRANSITION,
  KMS_REQUESTS_PER_INVOCATION,
  KMS_REQUESTS_PER_PUBLISH,
  LAMBDA_PLATFORM_LOG_BYTES_PER_INVOCATION,
  WEB_ACLS_PER_REQUEST,
  type LineItem,
} from '../bench/cost';
import { PRICE_NAMES, PRICES, type Price, type PriceName, type PriceTable } from '../bench/prices';

const GB = 1024 ** 3;

/** A small run: 500 journeys' worth of every kind of usage. */
const usageOf = (overrides: Partial<Usage> = {}): Usage => ({
  stateTransitions: 30,
  executions: 2,
  lambda: {
    SubmitApplication: { invocations: 2, billedMs: 400, memoryMb: 256 },
    CheckDetails: { invocations: 4, billedMs: 600, memoryMb: 512 },
  },
  dynamodb: { readUnits: 10, writeUnits: 8, requests: { GetItem: 10, UpdateItem: 8 } },
  sns: { topicPublishes: 4, deliveries: 8, texts: 2, segments: 3 },
  api: { 'POST /applications': 2, 'GET /status/{reference}': 4 },
  logs: { bytes: 2 ** 29, lines: 100, metricRecords: 4, metrics: ['JourneyTracker/SmsSent service=journey-tracker', 'JourneyTracker/Decided service=journey-tracker'] },
  ...overrides,
});

const byName = (lines: readonly LineItem[], price: PriceName): LineItem[] => lines.filter((line) => line.price === price);
const only = (lines: readonly LineItem[], price: PriceName): LineItem => {
  const found = byName(lines, price);
  expect(found).toHaveLength(1);
  return found[0];
};

/** Round, made-up prices, one unit each, so a total can be checked by hand. */
const ROUND: Record<PriceName, number> = {
  stepFunctionsTransition: 0.001,
  lambdaRequest: 0.0001,
  lambdaArmGbSecond: 0.01,
  dynamodbReadRequestUnit: 0.0002,
  dynamodbWriteRequestUnit: 0.001,
  snsPublish: 0.0005,
  snsLambdaDelivery: 0,
  smsUkSegment: 0.05,
  apiGatewayRestRequest: 0.003,
  cloudFrontHttpsRequestEurope: 0.002,
  wafRequest: 0.0006,
  wafWebAclMonth: 5,
  wafRuleMonth: 1,
  kmsRequest: 0.00001,
  kmsKeyMonth: 1,
  logsIngestedGb: 0.5,
  logsStoredGbMonth: 0.03,
  customMetricMonth: 0.3,
  alarmMonth: 0.1,
  dashboardMonth: 3,
};
const roundPrices: PriceTable = {
  ...PRICES,
  items: Object.fromEntries(PRICE_NAMES.map((name) => [name, { ...PRICES.items[name], usd: ROUND[name], per: 1 } satisfies Price])) as Record<PriceName, Price>,
};

describe('the price table', () => {
  it('says when, where and in what currency its prices were checked', () => {
    expect(PRICES.checkedOn).toBe('2026-11-23');
    expect(PRICES.region).toBe('eu-west-2');
    expect(PRICES.currency).toBe('USD');
  });

  it('has every price the model charges, and no other', () => {
    expect(Object.keys(PRICES.items).sort()).toEqual([...PRICE_NAMES].sort());
  });

  it.each(PRICE_NAMES)('gives %s a source page, a unit, and a note unless a stored copy of the page confirmed it', (name) => {
    const price = PRICES.items[name];
    expect(new URL(price.source).protocol).toBe('https:');
    expect(price.unit).not.toBe('');
    expect(price.usd).toBeGreaterThanOrEqual(0);
    expect(price.per).toBeGreaterThan(0);
    if (!price.confirmed) expect(price.note?.length).toBeGreaterThan(0);
  });
});

describe('the cost of 1,000 journeys', () => {
  it('adds up by hand for a small run, at round prices', () => {
    const cost = costPer1000Journeys(usageOf(), 500, roundPrices);
    // 500 journeys measured: every quantity twice over for 1,000.
    const ingestedBytes = 2 ** 29 + 6 * LAMBDA_PLATFORM_LOG_BYTES_PER_INVOCATION + 30 * JOURNEY_LOG_BYTES_PER_TRANSITION + 6 * ACCESS_LOG_BYTES_PER_REQUEST;
    const expected =
      60 * 0.001 + // state transitions
      12 * 0.0001 + // Lambda requests
      ((2 * 0.4 * 0.25 + 2 * 0.6 * 0.5) * 0.01) + // GB-seconds: 400 ms at 256 MB and 600 ms at 512 MB
      20 * 0.0002 + // read units
      16 * 0.001 + // write units
      8 * 0.0005 + // publishes; the 16 deliveries are free
      12 * 0.003 + // API Gateway
      12 * 0.002 + // CloudFront
      12 * WEB_ACLS_PER_REQUEST * 0.0006 + // WAF, once per web ACL
      (12 * KMS_REQUESTS_PER_INVOCATION + 8 * KMS_REQUESTS_PER_PUBLISH) * 0.00001 + // KMS
      ((2 * ingestedBytes) / GB) * (0.5 + 0.03); // logs ingested, and kept a month
    expect(cost.usd).toBeCloseTo(expected, 12);
    expect(cost.usd).toBeCloseTo(sum(cost.lines.map((line) => line.usd)), 12);
    expect(cost.sms).toEqual({ textsPerJourney: 2 / 500, segmentsPerJourney: 3 / 500, usdPer1000Journeys: 6 * 0.05 });
  });

  it("doubling the state transitions doubles the Step Functions line and the journeys' logs, and moves nothing else but the logs' storage", () => {
    const before = costPer1000Journeys(usageOf(), 500);
    const after = costPer1000Journeys(usageOf({ stateTransitions: 60 }), 500);
    expect(only(after.lines, 'stepFunctionsTransition').usd).toBeCloseTo(2 * only(before.lines, 'stepFunctionsTransition').usd, 15);
    // the journeys log every state they enter: that line doubles, and the storage of all logs grows
    const journeyLogs = (cost: typeof before) => cost.lines.find((line) => line.name.includes('state events'))!.usd;
    expect(journeyLogs(after)).toBeCloseTo(2 * journeyLogs(before), 15);
    const moved = new Set(['Step Functions state transitions', "CloudWatch Logs ingestion: the journeys' state events", 'CloudWatch Logs storage']);
    after.lines.forEach((line, i) => {
      if (!moved.has(line.name)) expect(line).toEqual(before.lines[i]);
    });
  });

  it('keeps SMS beside the total, not in it', () => {
    const quiet = costPer1000Journeys(usageOf({ sns: { topicPublishes: 4, deliveries: 8, texts: 0, segments: 0 } }), 500);
    const chatty = costPer1000Journeys(usageOf({ sns: { topicPublishes: 4, deliveries: 8, texts: 10, segments: 25 } }), 500);
    expect(chatty.usd).toBe(quiet.usd);
    expect(quiet.sms.usdPer1000Journeys).toBe(0);
    expect(chatty.sms.usdPer1000Journeys).toBeCloseTo(50 * PRICES.items.smsUkSegment.usd, 12);
    expect(chatty.sms.segmentsPerJourney).toBe(0.05);
    expect(chatty.lines.some((line) => line.price === 'smsUkSegment')).toBe(false);
  });

  it('charges nothing for deliveries to Lambda, however many', () => {
    const few = costPer1000Journeys(usageOf(), 500);
    const many = costPer1000Journeys(usageOf({ sns: { topicPublishes: 4, deliveries: 800, texts: 2, segments: 3 } }), 500);
    expect(only(many.lines, 'snsLambdaDelivery')).toMatchObject({ quantity: 1_600, usd: 0 });
    expect(many.usd).toBe(few.usd);
  });

  it('is per 1,000 journeys: the same usage over twice the journeys costs half', () => {
    const once = costPer1000Journeys(usageOf(), 500);
    const spread = costPer1000Journeys(usageOf(), 1_000);
    expect(spread.usd).toBeCloseTo(once.usd / 2, 15);
    expect(only(spread.lines, 'stepFunctionsTransition').quantity).toBe(30);
    expect(() => costPer1000Journeys(usageOf(), 0)).toThrow(/more than 0/);
  });

  it("prices Lambda's duration at each function's configured memory", () => {
    const small = costPer1000Journeys(usageOf({ lambda: { Step: { invocations: 1, billedMs: 1_000, memoryMb: 256 } } }), 1_000);
    const large = costPer1000Journeys(usageOf({ lambda: { Step: { invocations: 1, billedMs: 1_000, memoryMb: 512 } } }), 1_000);
    expect(only(small.lines, 'lambdaArmGbSecond').quantity).toBe(0.25);
    expect(only(large.lines, 'lambdaArmGbSecond').usd).toBeCloseTo(2 * only(small.lines, 'lambdaArmGbSecond').usd, 15);
    expect(only(large.lines, 'lambdaRequest').usd).toBe(only(small.lines, 'lambdaRequest').usd);
  });

  it('sends every API request through CloudFront once and WAF twice (the edge web ACL and the stage one)', () => {
    const cost = costPer1000Journeys(usageOf(), 1_000);
    expect(only(cost.lines, 'apiGatewayRestRequest').quantity).toBe(6);
    expect(only(cost.lines, 'cloudFrontHttpsRequestEurope').quantity).toBe(6);
    expect(only(cost.lines, 'wafRequest').quantity).toBe(12);
  });

  it('derives KMS requests from invocations and topic publishes, and says how', () => {
    const cost = costPer1000Journeys(usageOf(), 1_000);
    const kms = only(cost.lines, 'kmsRequest');
    expect(kms.quantity).toBe(6 * KMS_REQUESTS_PER_INVOCATION + 4 * KMS_REQUESTS_PER_PUBLISH);
    expect(kms.note).toMatch(/5 minutes/);
  });

  it('counts the log lines Lambda writes itself, which the local platform never sees', () => {
    const cost = costPer1000Journeys(usageOf({ logs: { bytes: 0, lines: 0, metricRecords: 0, metrics: [] } }), 1_000);
    const platform = cost.lines.find((line) => line.name.includes('START, END and REPORT'))!;
    expect(platform.quantity).toBeCloseTo((6 * LAMBDA_PLATFORM_LOG_BYTES_PER_INVOCATION) / GB, 18);
    expect(platform.usd).toBeGreaterThan(0);
  });

  it('bills custom metrics, alarms, dashboards, keys and web ACLs by the month, outside the per-journey total', () => {
    const bare = costPer1000Journeys(usageOf(), 500);
    const deployed = costPer1000Journeys(usageOf(), 500, roundPrices, { alarms: 20, dashboards: 1, kmsKeys: 4, webAcls: 2, webAclRules: 10 });
    expect(deployed.usd).toBe(costPer1000Journeys(usageOf(), 500, roundPrices).usd);
    expect(only(bare.fixedMonthly.lines, 'customMetricMonth').quantity).toBe(2);
    expect(bare.fixedMonthly.usd).toBeCloseTo(2 * PRICES.items.customMetricMonth.usd, 12);
    // at round prices: metrics $0.30, alarms $0.10, dashboards $3, keys $1, web ACLs $5, rules $1
    expect(deployed.fixedMonthly.usd).toBeCloseTo(2 * 0.3 + 20 * 0.1 + 1 * 3 + 4 * 1 + 2 * 5 + 10 * 1, 12);
  });

  it('keeps full precision: rounding is for display', () => {
    const cost = costPer1000Journeys(usageOf(), 3);
    const transitions = only(cost.lines, 'stepFunctionsTransition');
    expect(transitions.quantity).toBe((30 * 1_000) / 3);
    expect(transitions.usd).toBe(transitions.quantity * (PRICES.items.stepFunctionsTransition.usd / PRICES.items.stepFunctionsTransition.per));
  });
});

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
