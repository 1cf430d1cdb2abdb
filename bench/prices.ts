// The prices bench/cost.ts charges a journey at: AWS's public on-demand prices in Europe (London),
// eu-west-2, in US dollars before tax, as they were when checked. Prices change; each one names
// the page it comes from, so whoever updates the table knows where to look.
//
// `confirmed` is true only where a stored copy of AWS's own page was read showing the figure for
// London (or saying the price is the same in every region). Otherwise the figure is the best-known
// published one, often US East (N. Virginia)'s, and its note says what was and was not found.
// Free tiers are left out on purpose: the model prices the work, not a small account's first month.

export interface Price {
  /** dollars for `per` units, as the pricing page states it ($0.025 per 1,000 state transitions) */
  readonly usd: number;
  readonly per: number;
  /** what one unit is: 'state transition', 'GB-second', 'key-month' */
  readonly unit: string;
  /** the page the price comes from */
  readonly source: string;
  /** a stored copy of AWS's own page showed this figure for London, or for every region */
  readonly confirmed: boolean;
  /** what the figure covers, what was found, and what was not */
  readonly note?: string;
}

export const PRICE_NAMES = [
  'stepFunctionsTransition',
  'lambdaRequest',
  'lambdaArmGbSecond',
  'dynamodbReadRequestUnit',
  'dynamodbWriteRequestUnit',
  'snsPublish',
  'snsLambdaDelivery',
  'smsUkSegment',
  'apiGatewayRestRequest',
  'cloudFrontHttpsRequestEurope',
  'wafRequest',
  'wafWebAclMonth',
  'wafRuleMonth',
  'kmsRequest',
  'kmsKeyMonth',
  'logsIngestedGb',
  'logsStoredGbMonth',
  'customMetricMonth',
  'alarmMonth',
  'dashboardMonth',
] as const;

export type PriceName = (typeof PRICE_NAMES)[number];

export interface PriceTable {
  /** the day the prices were checked (ISO date) */
  readonly checkedOn: string;
  readonly region: string;
  readonly currency: 'USD';
  readonly items: Readonly<Record<PriceName, Price>>;
}

/** Dollars for one unit of a price. */
export const unitPrice = (price: Price): number => price.usd / price.per;

export const PRICES: PriceTable = {
  checkedOn: '2026-11-23',
  region: 'eu-west-2',
  currency: 'USD',
  items: {
    stepFunctionsTransition: {
      usd: 0.025,
      per: 1_000,
      unit: 'state transition',
      source: 'https://aws.amazon.com/step-functions/pricing/',
      confirmed: true,
      note: "Standard workflows. The page's table lists Europe (London) at $0.0250 per 1,000 state transitions; retries count as transitions. The 4,000 free transitions a month are ignored.",
    },
    lambdaRequest: {
      usd: 0.2,
      per: 1_000_000,
      unit: 'request',
      source: 'https://aws.amazon.com/lambda/pricing/',
      confirmed: false,
      note: "The stored copies of the page render their price tables in the browser, so London's figure was not read there. $0.20 per million is the US East figure (AWS's How AWS Pricing Works whitepaper) and the same for x86 and Arm; London is believed to be the same.",
    },
    lambdaArmGbSecond: {
      usd: 0.0000133334,
      per: 1,
      unit: 'GB-second',
      source: 'https://aws.amazon.com/lambda/pricing/',
      confirmed: false,
      note: "Arm (Graviton), first tier (up to 7.5 billion GB-seconds a month). London's figure was not read on AWS's page; this is the US East figure, and a published price table (Artillery's lib/platform/aws-lambda/prices.js) lists eu-west-2 among the regions at the base price.",
    },
    dynamodbReadRequestUnit: {
      usd: 0.1485,
      per: 1_000_000,
      unit: 'read request unit',
      source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
      confirmed: false,
      note: "On-demand, Standard table class, after the price cut of 1 November 2024 that halved on-demand throughput prices. No stored copy of the page showed London's figure; $0.1485 is half the earlier London price (about $0.297), and US East's is $0.125 per million (secondary sources).",
    },
    dynamodbWriteRequestUnit: {
      usd: 0.7425,
      per: 1_000_000,
      unit: 'write request unit',
      source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
      confirmed: false,
      note: "On-demand, Standard table class, after the 1 November 2024 cut (on-demand throughput halved). No stored copy of the page showed London's figure; $0.7425 is half the earlier London price (about $1.485), and US East's is $0.625 per million (secondary sources).",
    },
    snsPublish: {
      usd: 0.5,
      per: 1_000_000,
      unit: 'publish (64 KB chunk)',
      source: 'https://aws.amazon.com/sns/pricing/',
      confirmed: false,
      note: 'Standard topics: each 64 KB chunk of a published message is one request. $0.50 per million is the widely published US East figure; London was not confirmed from a stored copy of the page.',
    },
    snsLambdaDelivery: {
      usd: 0,
      per: 1_000_000,
      unit: 'delivery to Lambda',
      source: 'https://aws.amazon.com/sns/pricing/',
      confirmed: false,
      note: "SNS's pricing page lists no charge for deliveries to Lambda functions (the function's own invocation is billed by Lambda). Not read from a stored copy of the page.",
    },
    smsUkSegment: {
      usd: 0.04,
      per: 1,
      unit: 'SMS segment to a UK number',
      source: 'https://aws.amazon.com/end-user-messaging/pricing/',
      confirmed: false,
      note: "Transactional texts to UK mobile numbers, per message part (segment): a long text is billed as several. SMS is now priced by AWS End User Messaging, by destination country; no stored copy showed the UK figure, and $0.04 is a round best-known estimate. Carriers change their prices and fees without much notice: read the real price of each text from SNS's SMS delivery logs (priceInUSD) before relying on it.",
    },
    apiGatewayRestRequest: {
      usd: 3.5,
      per: 1_000_000,
      unit: 'REST API request',
      source: 'https://aws.amazon.com/api-gateway/pricing/',
      confirmed: false,
      note: "REST APIs, first 333 million requests a month. $3.50 per million is US East's (AWS's whitepaper on API Gateway private APIs lists it); London's own figure was not found and may be a little higher.",
    },
    cloudFrontHttpsRequestEurope: {
      usd: 0.012,
      per: 10_000,
      unit: 'HTTPS request (Europe)',
      source: 'https://aws.amazon.com/cloudfront/pricing/',
      confirmed: false,
      note: "Pay-as-you-go, HTTPS requests served from edge locations in Europe (the distribution's price class covers North America and Europe; citizens are in the UK). The stored copy of the page showed the data transfer table but not the request table; $0.0120 per 10,000 is the best-known figure. CloudFront's flat-rate plans are not modelled.",
    },
    wafRequest: {
      usd: 0.6,
      per: 1_000_000,
      unit: 'request inspected by a web ACL',
      source: 'https://aws.amazon.com/waf/pricing/',
      confirmed: false,
      note: "AWS's blog post on cost-effective AWS WAF (aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/) says WAF's prices are the same in every region; $0.60 per million is from secondary sources. Each web ACL under 1,500 WCUs is charged only this; ours use the three AWS managed rule groups (about 925 WCUs by AWS's published capacities, not confirmed here) and two rate rules.",
    },
    wafWebAclMonth: {
      usd: 5,
      per: 1,
      unit: 'web ACL-month',
      source: 'https://aws.amazon.com/waf/pricing/',
      confirmed: false,
      note: 'Per web ACL a month, prorated by the hour; the same in every region (AWS blog), $5 from secondary sources.',
    },
    wafRuleMonth: {
      usd: 1,
      per: 1,
      unit: 'rule-month',
      source: 'https://aws.amazon.com/waf/pricing/',
      confirmed: false,
      note: 'Per rule or managed rule group in a web ACL, a month; AWS managed rule groups of the baseline and IP reputation kinds carry no further fee. $1 from secondary sources.',
    },
    kmsRequest: {
      usd: 0.03,
      per: 10_000,
      unit: 'KMS request',
      source: 'https://aws.amazon.com/kms/pricing/',
      confirmed: false,
      note: "Symmetric-key requests (Encrypt, Decrypt, GenerateDataKey), including those AWS services make for you. The stored copy of AWS's page confirms requests are charged, even to AWS managed keys, but its request table was not read; $0.03 per 10,000 is from secondary sources. The 20,000 free requests a month are ignored.",
    },
    kmsKeyMonth: {
      usd: 1,
      per: 1,
      unit: 'customer-managed key-month',
      source: 'https://aws.amazon.com/kms/pricing/',
      confirmed: true,
      note: "AWS's page: each KMS key you create costs $1 a month, in every region. With automatic rotation each new backing key adds $1 a month; since April 2024 only the first two rotations add to it (announced reduction, not read from a stored copy), so a key rotated yearly costs $1, then $2, then $3 a month from its third year.",
    },
    logsIngestedGb: {
      usd: 0.5295,
      per: 1,
      unit: 'GB ingested',
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      confirmed: false,
      note: "CloudWatch Logs, Standard log class, first tier. The stored copies of the page render their price tables in the browser; $0.5295 per GB is the best-known London figure (US East's is $0.50). Lambda's and Step Functions' logs are priced as vended logs, whose first tier is believed to be the same.",
    },
    logsStoredGbMonth: {
      usd: 0.0315,
      per: 1,
      unit: 'GB-month stored',
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      confirmed: false,
      note: "CloudWatch Logs storage (archive). Best-known London figure (US East's is $0.03); not read from a stored copy of the page.",
    },
    customMetricMonth: {
      usd: 0.3,
      per: 1,
      unit: 'custom metric-month',
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      confirmed: false,
      note: 'First 10,000 metrics, prorated by the hour; each distinct metric name and dimension set is one metric. $0.30 is the US East figure; London believed the same, not confirmed.',
    },
    alarmMonth: {
      usd: 0.1,
      per: 1,
      unit: 'standard-resolution alarm metric-month',
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      confirmed: false,
      note: 'Per metric an alarm evaluates, standard resolution; a metric-math alarm counts each metric it reads. $0.10 is the US East figure; London believed the same, not confirmed.',
    },
    dashboardMonth: {
      usd: 3,
      per: 1,
      unit: 'dashboard-month',
      source: 'https://aws.amazon.com/cloudwatch/pricing/',
      confirmed: false,
      note: 'Per custom dashboard a month. $3 is the widely published figure; not read from a stored copy of the page.',
    },
  },
};
