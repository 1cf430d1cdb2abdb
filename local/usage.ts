// What the local platform did, counted as AWS would bill it: the usage a run of journeys leaves,
// which bench/cost.ts prices. Counted only when the platform is started with `meter: true`.

/** One function's invocations, by registry name (e.g. CheckDetails). */
export interface FunctionUsage {
  readonly invocations: number;
  /** the sum of each invocation's measured duration, in ms (each rounded up to a whole ms, as Lambda bills) */
  readonly billedMs: number;
  /** the memory CDK configures for it (lib/platform-function.ts) */
  readonly memoryMb: number;
}

export interface Usage {
  /** Step Functions state transitions: every state entered, retries included, as Standard workflows bill them */
  readonly stateTransitions: number;
  /** executions started */
  readonly executions: number;
  readonly lambda: Readonly<Record<string, FunctionUsage>>;
  readonly dynamodb: {
    /** read and write request units, as on-demand bills them: the table's, from each request's ConsumedCapacity (dynalite does not report an index's) */
    readonly readUnits: number;
    readonly writeUnits: number;
    /** requests by operation, e.g. GetItem: 12 */
    readonly requests: Readonly<Record<string, number>>;
  };
  readonly sns: {
    /** Publish to the milestone topic */
    readonly topicPublishes: number;
    /** deliveries of those messages to subscribers (Lambda: free in AWS) */
    readonly deliveries: number;
    /** texts sent (Publish to a phone number) and their segments */
    readonly texts: number;
    readonly segments: number;
  };
  /** requests that reached the API (API Gateway), by route, e.g. "POST /applications": 1000 */
  readonly api: Readonly<Record<string, number>>;
  /** what the functions wrote to their logs (CloudWatch Logs ingestion), embedded metrics included */
  readonly logs: {
    readonly bytes: number;
    readonly lines: number;
    /** lines that are embedded-metric-format records */
    readonly metricRecords: number;
    /** distinct metric name and dimension sets seen, e.g. "JourneyTracker/SmsSent service=journey-tracker" (each is a custom metric in CloudWatch) */
    readonly metrics: readonly string[];
  };
}

/** Counts what the local platform does, as the Usage above; the platform tells it each thing. */
export class UsageMeter {
  private stateTransitions = 0;
  private executions = 0;
  private readonly lambda = new Map<string, { invocations: number; billedMs: number; memoryMb: number }>();
  private readonly sns = { topicPublishes: 0, deliveries: 0, texts: 0, segments: 0 };
  private readonly api: Record<string, number> = {};
  private readonly logs = { bytes: 0, lines: 0, metricRecords: 0, metrics: new Set<string>() };

  stateEntered(): void {
    this.stateTransitions++;
  }

  executionStarted(): void {
    this.executions++;
  }

  invoked(name: string, memoryMb: number, ms: number): void {
    const fn = this.lambda.get(name) ?? { invocations: 0, billedMs: 0, memoryMb };
    fn.invocations++;
    fn.billedMs += Math.max(1, Math.ceil(ms));
    this.lambda.set(name, fn);
  }

  published(deliveries: number): void {
    this.sns.topicPublishes++;
    this.sns.deliveries += deliveries;
  }

  texted(segments: number): void {
    this.sns.texts++;
    this.sns.segments += segments;
  }

  apiRequest(route: string): void {
    this.api[route] = (this.api[route] ?? 0) + 1;
  }

  /** A function wrote to its log: its bytes and lines, and the metrics of an embedded-format record. */
  logged(text: string): void {
    this.logs.bytes += Buffer.byteLength(text);
    for (const line of text.split('\n')) {
      if (!line) continue;
      this.logs.lines++;
      if (!line.includes('"_aws"')) continue;
      this.logs.metricRecords++;
      for (const metric of embeddedMetrics(line)) this.logs.metrics.add(metric);
    }
  }

  /** What was counted, with DynamoDB's request units as the local DynamoDB counted them. */
  usage(dynamodb: Usage['dynamodb']): Usage {
    return {
      stateTransitions: this.stateTransitions,
      executions: this.executions,
      lambda: Object.fromEntries([...this.lambda].map(([name, fn]) => [name, { ...fn }])),
      dynamodb: { ...dynamodb, requests: { ...dynamodb.requests } },
      sns: { ...this.sns },
      api: { ...this.api },
      logs: { bytes: this.logs.bytes, lines: this.logs.lines, metricRecords: this.logs.metricRecords, metrics: [...this.logs.metrics].sort() },
    };
  }
}

/** The custom metrics an embedded-metric-format record makes: namespace/name and each dimension set's values. */
function embeddedMetrics(line: string): string[] {
  try {
    const record = JSON.parse(line) as { _aws?: { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } } & Record<string, unknown>;
    return (record._aws?.CloudWatchMetrics ?? []).flatMap(({ Namespace, Dimensions, Metrics }) =>
      Metrics.flatMap(({ Name }) => Dimensions.map((set) => `${Namespace}/${Name} ${set.map((d) => `${d}=${String(record[d])}`).join(' ')}`.trim())),
    );
  } catch {
    return [];
  }
}
