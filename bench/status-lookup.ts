// The status lookup over HTTP against the least it could be: a bare GetItem of the same item from
// the same dynalite, in the same run, from a process of its own (the load generator must not share
// the platform's event loop), at 1 and at 100 concurrent callers, on loopback, for a fixed time
// each. The raw GetItem is made as any DynamoDB client makes it, with the AWS SDK (as the issue's
// own baseline was taken: about 1,600/s at 100 callers); the same request replayed byte for byte
// by autocannon, with no client work at all, is measured beside it as the floor. What the HTTP
// path adds on top of the read (the local API Gateway, the handler, the JSON) shows as the latency
// ratio at one caller and as the throughput ratio at 100. The goals are reported, not asserted.
//
// The raw GetItem is the one the status handler makes (same key, projection and consistency),
// signed once by the SDK and replayed as is. Latencies come from autocannon's own per-response
// timer, unrounded (its histogram would round a sub-millisecond GetItem to 0 or 1 ms). Beside
// the rates, each answer's CPU cost is measured in the platform's process and in the processes
// it started (dynalite, when it runs in one): a busy machine moves the rates, much less the cost.
//
// Run it alone:
//   npx tsx -e "require('./bench/status-lookup').statusLookup({seconds:5,warmupSeconds:1},console.error).then(r=>console.log(JSON.stringify(r,null,2)))"
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startPlatform } from '../local/platform';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { PUBLIC_ATTRIBUTES, type Stage } from '../lambdas/domain/cases/case';
import { needsSummary } from '../lambdas/domain/citizens/honest-dates';
import { quantile } from './cold-start';
import { settledCase, stageOf } from './load';

/** HTTP p50 over raw GetItem p50, at one caller: at most this. */
export const RATIO_GOAL = 1.5;
/** HTTP requests/s over raw GetItem requests/s, at 100 callers: at least this. */
export const THROUGHPUT_RATIO_GOAL = 0.8;

const CALLERS = { oneCaller: 1, hundredCallers: 100 } as const;
type Callers = keyof typeof CALLERS;
type Target = 'http' | 'rawGetItem' | 'wireGetItem';

export interface StatusLookupOptions {
  /**
   * measured seconds for each target at each number of callers, taken as two runs of half each;
   * autocannon stops on a whole second (its sampling tick), so each half is rounded to one
   */
  readonly seconds: number;
  /** seconds of load sent to each target at each number of callers first, and discarded (rounded up to whole seconds; 0 for none) */
  readonly warmupSeconds: number;
}

export interface Measured {
  /** latency of 2xx answers, ms, from the request written to the response read */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** 2xx answers a second, over the time the runs took */
  readonly requestsPerSecond: number;
  /** answers of any status */
  readonly requests: number;
  /** connection errors and timeouts (autocannon counts a timeout as an error too) */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly seconds: number;
  /**
   * CPU time (user and system, all threads) spent per 2xx answer by the platform's process (the
   * API server, the handlers and their SDK clients) and by the processes it started (dynalite,
   * when it runs in one; the load generator is not counted). Unlike the rates it hardly moves
   * when other work shares the machine. `startedProcesses` is absent where /proc cannot be read.
   */
  readonly cpuMsPerRequest: { readonly platformProcess: number; readonly startedProcesses?: number };
  /** autocannon's own figures, in whole milliseconds (its histogram's resolution), for comparison */
  readonly autocannonP50Ms: readonly number[];
}

export interface StatusLookupResult {
  readonly options: StatusLookupOptions;
  readonly http: Record<Callers, Measured>;
  /** GetItem of the same item through the AWS SDK's client, from the load generator's process */
  readonly rawGetItem: Record<Callers, Measured>;
  /** the same GetItem as signed once by the SDK, replayed by autocannon: DynamoDB's work and the wire, no client work */
  readonly wireGetItem: Record<Callers, Measured>;
  /** http.oneCaller.p50Ms / rawGetItem.oneCaller.p50Ms */
  readonly ratio: number;
  /** http.hundredCallers.requestsPerSecond / rawGetItem.hundredCallers.requestsPerSecond */
  readonly throughputRatio: number;
  readonly goals: { readonly ratio: number; readonly throughputRatio: number };
  readonly met: { readonly ratio: boolean; readonly throughputRatio: boolean };
  /** the case's stage while it was measured, before and after (a stage, not an identifier) */
  readonly stage: string;
  readonly stageAfter: string;
  /**
   * whether the case is still open (undecided): its status then also carries what its service
   * publishes, which the lookup reads besides the case (lambdas/adapters/aws/public-case.ts)
   */
  readonly undecided: boolean;
  /**
   * dynalite's CPU per lookup over its CPU per raw GetItem, at 100 callers: about how many
   * GetItems a lookup makes, as dynalite saw them. Absent unless dynalite runs in a process of its own.
   */
  readonly dynaliteWorkPerLookup?: number;
  readonly bodyBytes: { readonly http: number; readonly rawGetItem: number };
  /** runs with errors, timeouts or non-2xx answers, and anything else that makes the figures less than clean */
  readonly warnings: readonly string[];
  /** the 1-minute load average before the platform started: other work on the machine makes the rates and latencies noisy */
  readonly machine: { readonly cpus: number; readonly loadAverageAtStart: number; readonly node: string };
}

/** One request as the load generator sends it. */
interface RequestSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** A GetItem the load generator makes with the AWS SDK's client. */
interface SdkGetItemSpec {
  readonly sdkGetItem: { readonly endpoint: string; readonly input: Record<string, unknown> };
}

/** What the runner sends back for one run. */
interface RunResult {
  readonly connections: number;
  readonly seconds: number;
  readonly responses: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly latencies: Float64Array;
  readonly autocannon: { readonly p50Ms: number; readonly p99Ms: number; readonly requestsPerSecond: number };
}

/** A run, with the CPU time the platform's process (this one) spent during it. */
interface TimedRun extends RunResult {
  readonly platformCpuMicros: number;
  readonly startedCpuMicros?: number;
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time, in µs, used so far by the processes this one started (found in /proc by their parent
 * id), leaving out `except`; undefined where /proc cannot be read. The platform may run parts of
 * itself (dynalite) in processes of their own, and their work is part of each answer's cost.
 */
function startedProcessesCpuMicros(except: readonly (number | undefined)[]): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of entries) {
    if (except.includes(Number(pid))) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // it exited while we looked
    }
    // after the command name (in parentheses, and it may hold spaces): state, ppid, … utime, stime
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

const NAMES: Record<Target, string> = { http: 'GET /status/{reference}', rawGetItem: 'raw GetItem (SDK)', wireGetItem: 'GetItem replayed (no client)' };

const RUNNER = path.join(__dirname, 'fixtures', 'autocannon-runner.cjs');
const REGION = 'eu-west-2';
// dynalite checks that a request is signed in the right shape, not the signature or its age
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const round = (value: number, places = 3) => Number(value.toFixed(places));

/** The load generator: one child process for the whole benchmark, one run at a time. */
class LoadGenerator {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (r: RunResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor() {
    // plain node, nothing preloaded: not tsx's loader, nor a --cpu-prof meant for the platform.
    // 'advanced' serialisation carries the latency samples back as a typed array, not JSON.
    this.child = fork(RUNNER, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: { id: number; result?: RunResult; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(`the load generator failed: ${message.error}`));
      else waiting?.resolve(message.result!);
    });
    this.child.on('exit', (code, signal) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the load generator exited (${signal ?? code}) during a run`));
      this.pending.clear();
    });
  }

  run(request: RequestSpec | SdkGetItemSpec, connections: number, seconds: number): Promise<RunResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, ...request, connections, seconds });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null) this.child.kill();
  }
}

/**
 * The GetItem the status lookup makes for the case (lambdas/adapters/aws/public-case.ts: the
 * public attributes by projection, eventually consistent), signed once by the SDK itself: the
 * request is sent through a client whose last middleware keeps a copy of what went on the wire.
 * So the body and headers are byte for byte the SDK's, and the reply shows the request works.
 */
/** The GetItem the status lookup makes for a case: its public attributes, eventually consistent. */
function getItemInput(tableName: string, reference: string): Record<string, unknown> {
  const ExpressionAttributeNames = Object.fromEntries(PUBLIC_ATTRIBUTES.map((name, i) => [`#p${i}`, name]));
  return { TableName: tableName, Key: { [CASE_TABLE.partitionKey]: { S: reference } }, ProjectionExpression: Object.keys(ExpressionAttributeNames).join(', '), ExpressionAttributeNames };
}

async function signedGetItem(endpoint: string, tableName: string, reference: string): Promise<{ spec: RequestSpec; item: Record<string, unknown> }> {
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  let sent: { headers: Record<string, string>; body: unknown } | undefined;
  const keepSignedRequest = (next: (args: { request: { headers: Record<string, string>; body: unknown } }) => Promise<unknown>) =>
    async (args: { request: { headers: Record<string, string>; body: unknown } }) => {
      const { body } = args.request;
      // the SDK serialises JSON to bytes (a Uint8Array), or has in the past to a string
      sent = { headers: { ...args.request.headers }, body: body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') : body };
      return next(args);
    };
  // right after the signer, so what is kept is what is sent
  client.middlewareStack.addRelativeTo(keepSignedRequest as unknown as Parameters<typeof client.middlewareStack.addRelativeTo>[0], {
    relation: 'after',
    toMiddleware: 'httpSigningMiddleware',
    name: 'keepSignedRequest',
  });
  try {
    const out = await client.send(new GetItemCommand(getItemInput(tableName, reference) as unknown as ConstructorParameters<typeof GetItemCommand>[0]));
    if (!out.Item) throw new Error('the GetItem of the case found no item');
    if (!sent || typeof sent.body !== 'string' || !sent.headers.authorization) throw new Error('could not keep a copy of the signed GetItem (the SDK changed how it signs?)');
    // autocannon sets the host and the length itself; the rest is sent as signed
    const headers = Object.fromEntries(Object.entries(sent.headers).filter(([name]) => !['host', 'content-length'].includes(name.toLowerCase())));
    return { spec: { url: `${endpoint}/`, method: 'POST', headers, body: sent.body }, item: out.Item };
  } finally {
    client.destroy();
  }
}

/** Fails loudly unless both targets answer 200 with what they should: the status of the case, and its item. */
async function check(http: RequestSpec, raw: RequestSpec, reference: string): Promise<{ httpBytes: number; rawBytes: number }> {
  const status = await fetch(http.url, { headers: http.headers });
  const statusText = await status.text();
  let statusJson: { reference?: unknown } = {};
  try {
    statusJson = JSON.parse(statusText);
  } catch {
    // checked below
  }
  if (status.status !== 200 || statusJson.reference !== reference) {
    throw new Error(`GET /status/{reference} answered ${status.status} without the case's reference: ${statusText.slice(0, 300)}`);
  }
  const item = await fetch(raw.url, { method: 'POST', headers: raw.headers, body: raw.body });
  const itemText = await item.text();
  let itemJson: { Item?: Record<string, { S?: string }> } = {};
  try {
    itemJson = JSON.parse(itemText);
  } catch {
    // checked below
  }
  if (item.status !== 200 || itemJson.Item?.[CASE_TABLE.partitionKey]?.S !== reference) {
    throw new Error(`the raw GetItem answered ${item.status} without the case's item: ${itemText.slice(0, 300)}`);
  }
  return { httpBytes: Buffer.byteLength(statusText), rawBytes: Buffer.byteLength(itemText) };
}

/** Two runs of one target at one number of callers, pooled: the samples together, the answers over the time both took. */
function pooled(runs: readonly TimedRun[]): Measured {
  const total = runs.reduce((sum, run) => sum + run.latencies.length, 0);
  const samples = new Float64Array(total);
  let at = 0;
  for (const run of runs) {
    samples.set(run.latencies, at);
    at += run.latencies.length;
  }
  samples.sort();
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const sum = (key: 'responses' | 'ok' | 'errors' | 'timeouts' | 'non2xx') => runs.reduce((n, run) => n + run[key], 0);
  return {
    p50Ms: round(quantile(samples, 0.5)),
    p99Ms: round(quantile(samples, 0.99)),
    requestsPerSecond: round(sum('ok') / seconds, 1),
    requests: sum('responses'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    non2xx: sum('non2xx'),
    seconds: round(seconds, 2),
    cpuMsPerRequest: {
      platformProcess: round(runs.reduce((n, run) => n + run.platformCpuMicros, 0) / 1000 / Math.max(1, sum('ok'))),
      ...(runs.every((run) => run.startedCpuMicros !== undefined)
        ? { startedProcesses: round(runs.reduce((n, run) => n + run.startedCpuMicros!, 0) / 1000 / Math.max(1, sum('ok'))) }
        : {}),
    },
    autocannonP50Ms: runs.map((run) => run.autocannon.p50Ms),
  };
}

/**
 * Starts a fresh local platform (the lookup limit lifted: one client sends everything), makes one
 * case, lets it settle, and measures the status lookup against a raw GetItem of the case's item.
 */
export async function statusLookup(options: StatusLookupOptions, progress: (message: string) => void): Promise<StatusLookupResult> {
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < (name === 'warmupSeconds' ? 0 : 1)) throw new Error(`statusLookup: ${name} must be a number of seconds (got ${value})`);
  }
  const loadAverageAtStart = round(os.loadavg()[0], 2);
  const platform = await startPlatform({
    port: 0,
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'journey-status-lookup-')),
    rateLimit: { requests: Number.MAX_SAFE_INTEGER, windowSeconds: 60, pathPrefixes: ['/status/'] },
  });
  let generator: LoadGenerator | undefined;
  try {
    progress('application submitted; waiting for its journey to settle');
    const { reference, stage } = await settledCase(platform.url, 'status-lookup', 1000);
    const http: RequestSpec = { url: `${platform.url}/status/${reference}`, method: 'GET', headers: { accept: 'application/json' } };
    const { spec: raw, item } = await signedGetItem(platform.dynamoEndpoint, platform.tableName, reference);
    const undecided = needsSummary({ stage: (item.stage as { S?: string } | undefined)?.S as Stage });
    const bytes = await check(http, raw, reference);
    const targets: Record<Target, RequestSpec | SdkGetItemSpec> = { http, rawGetItem: { sdkGetItem: { endpoint: platform.dynamoEndpoint, input: getItemInput(platform.tableName, reference) } }, wireGetItem: raw };
    progress(`case settled at '${stage}'; both targets answer as they should`);

    generator = new LoadGenerator();
    const runs: Record<Target, Record<Callers, TimedRun[]>> = { http: { oneCaller: [], hundredCallers: [] }, rawGetItem: { oneCaller: [], hundredCallers: [] }, wireGetItem: { oneCaller: [], hundredCallers: [] } };
    const half = Math.max(1, Math.round(options.seconds / 2));
    const warmup = Math.ceil(options.warmupSeconds);
    for (const callers of Object.keys(CALLERS) as Callers[]) {
      const connections = CALLERS[callers];
      if (warmup > 0) {
        progress(`${connections} caller${connections === 1 ? '' : 's'}: warm-up, ${warmup} s of each`);
        for (const target of ['rawGetItem', 'wireGetItem', 'http'] as const) await generator.run(targets[target], connections, warmup);
      }
      // raw, wire, HTTP, HTTP, wire, raw: a drift in the machine's speed over the six falls on all alike
      for (const target of ['rawGetItem', 'wireGetItem', 'http', 'http', 'wireGetItem', 'rawGetItem'] as const) {
        progress(`${connections} caller${connections === 1 ? '' : 's'}: ${NAMES[target]} for ${half} s`);
        const started = startedProcessesCpuMicros([generator.pid]);
        const cpu = process.cpuUsage();
        const run = await generator.run(targets[target], connections, half);
        const used = process.cpuUsage(cpu);
        const startedAfter = startedProcessesCpuMicros([generator.pid]);
        const startedCpuMicros = started === undefined || startedAfter === undefined ? undefined : startedAfter - started;
        runs[target][callers].push({ ...run, platformCpuMicros: used.user + used.system, startedCpuMicros });
      }
    }

    // the same reads before and after: nothing wrote to the case while it was measured
    await check(http, raw, reference);
    const stageAfter = (await stageOf(platform.url, reference)) ?? 'not found';

    const measured = (target: Target) => ({ oneCaller: pooled(runs[target].oneCaller), hundredCallers: pooled(runs[target].hundredCallers) });
    const result = { http: measured('http'), rawGetItem: measured('rawGetItem'), wireGetItem: measured('wireGetItem') };
    const ratio = round(result.http.oneCaller.p50Ms / result.rawGetItem.oneCaller.p50Ms);
    const throughputRatio = round(result.http.hundredCallers.requestsPerSecond / result.rawGetItem.hundredCallers.requestsPerSecond);
    // only meaningful when the raw GetItem costs the platform's own process nothing: dynalite is elsewhere
    const perLookup = result.http.hundredCallers.cpuMsPerRequest.startedProcesses;
    const perGetItem = result.rawGetItem.hundredCallers.cpuMsPerRequest.startedProcesses;
    const dynaliteWorkPerLookup = perLookup !== undefined && perGetItem && result.rawGetItem.hundredCallers.cpuMsPerRequest.platformProcess < perGetItem / 10 ? round(perLookup / perGetItem, 2) : undefined;

    const warnings: string[] = [];
    for (const target of ['http', 'rawGetItem', 'wireGetItem'] as const) {
      for (const callers of Object.keys(CALLERS) as Callers[]) {
        const m = result[target][callers];
        if (m.errors || m.non2xx) warnings.push(`${target} at ${CALLERS[callers]} caller(s): ${m.errors} errors (${m.timeouts} timeouts) and ${m.non2xx} non-2xx answers in ${m.requests}`);
      }
    }
    if (stageAfter !== stage) warnings.push(`the case moved from '${stage}' to '${stageAfter}' during the measurement: a journey step wrote to it`);
    if (loadAverageAtStart >= 1) warnings.push(`the load average was ${loadAverageAtStart} before the benchmark started: other work shared the machine; trust the CPU ms per answer over the rates`);
    if (os.availableParallelism() < 4) warnings.push(`${os.availableParallelism()} CPUs: the load generator, the platform and dynalite compete for them, so absolute figures are low; the ratios carry over better`);

    return {
      options,
      ...result,
      ratio,
      throughputRatio,
      goals: { ratio: RATIO_GOAL, throughputRatio: THROUGHPUT_RATIO_GOAL },
      met: { ratio: ratio <= RATIO_GOAL, throughputRatio: throughputRatio >= THROUGHPUT_RATIO_GOAL },
      stage,
      stageAfter,
      undecided,
      ...(dynaliteWorkPerLookup === undefined ? {} : { dynaliteWorkPerLookup }),
      bodyBytes: { http: bytes.httpBytes, rawGetItem: bytes.rawBytes },
      warnings,
      machine: { cpus: os.availableParallelism(), loadAverageAtStart, node: process.version },
    };
  } finally {
    generator?.stop();
    await platform.stop();
  }
}

export function formatStatusLookup(result: StatusLookupResult): string[] {
  const row = (name: string, callers: Callers, m: Measured) => {
    const marked = m.errors || m.non2xx ? ` ⚠ ${m.errors} errors, ${m.non2xx} non-2xx` : '';
    return `| ${name} | ${CALLERS[callers]} | ${m.p50Ms.toFixed(3)} | ${m.p99Ms.toFixed(3)} | ${m.requestsPerSecond.toFixed(0)} | ${m.cpuMsPerRequest.platformProcess.toFixed(3)} | ${m.cpuMsPerRequest.startedProcesses?.toFixed(3) ?? 'n/a'} | ${m.requests}${marked} |`;
  };
  const verdict = (met: boolean) => (met ? 'PASS' : 'MISSED');
  return [
    `Status lookup: GET /status/{reference} (autocannon) against a raw GetItem of the same item on the same dynalite through the AWS SDK, and the same GetItem replayed with no client work (autocannon), all from a separate process on loopback, ` +
      `${result.options.seconds} s of each at 1 and at 100 callers (two runs of half each, in mirrored order, after ${result.options.warmupSeconds} s of warm-up), case at '${result.stage}'${result.stageAfter === result.stage ? '' : ` then '${result.stageAfter}'`}`,
    '',
    '| request | callers | p50 ms | p99 ms | 2xx/s | CPU ms/answer: platform | CPU ms/answer: its child processes | answers |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(NAMES.http, 'oneCaller', result.http.oneCaller),
    row(NAMES.rawGetItem, 'oneCaller', result.rawGetItem.oneCaller),
    row(NAMES.wireGetItem, 'oneCaller', result.wireGetItem.oneCaller),
    row(NAMES.http, 'hundredCallers', result.http.hundredCallers),
    row(NAMES.rawGetItem, 'hundredCallers', result.rawGetItem.hundredCallers),
    row(NAMES.wireGetItem, 'hundredCallers', result.wireGetItem.hundredCallers),
    '',
    `${verdict(result.met.ratio)}: at one caller the lookup's p50 is ${result.ratio.toFixed(2)}x the raw GetItem's (goal ≤ ${result.goals.ratio}x); ${(result.http.oneCaller.p50Ms / result.wireGetItem.oneCaller.p50Ms).toFixed(2)}x the replayed one's`,
    `${verdict(result.met.throughputRatio)}: at 100 callers the lookup answers ${result.throughputRatio.toFixed(2)}x the raw GetItem's requests a second (goal ≥ ${result.goals.throughputRatio}x); ${(result.http.hundredCallers.requestsPerSecond / result.wireGetItem.hundredCallers.requestsPerSecond).toFixed(2)}x the replayed one's`,
    `  latencies are autocannon's own per-response timings, kept unrounded (its histogram counts whole milliseconds); bodies ${result.bodyBytes.http} B (status) and ${result.bodyBytes.rawGetItem} B (item)`,
    `  the case is ${result.undecided ? "open, so its status also carries what its service publishes" : 'decided: its status reads the case alone'}` +
      (result.dynaliteWorkPerLookup === undefined ? '' : `; dynalite works ${result.dynaliteWorkPerLookup.toFixed(2)}x as hard for a lookup as for a raw GetItem (about that many reads)`),
    ...result.warnings.map((warning) => `  warning: ${warning}`),
  ];
}
